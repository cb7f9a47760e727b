//! The command line, as typed (clap). Commands resolve these into library calls in `cmd/`.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use jiff::civil::Date;

#[derive(Parser, Debug)]
#[command(name = "gazette", version, about = "政府公报与行政规范性文件库的静态网站生成器", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// 生成网站：把 content/ 生成为 public/ 中的静态网站
    Build(BuildArgs),
    /// 只检查内容，不写任何文件
    Check(CheckArgs),
    /// 新建一份文件：按文件类别写好全部键，待填写处由 check 提示
    New(NewArgs),
    /// 新建一个站点：配置、每个文件类别一份示例文件、.gitignore
    Init(InitArgs),
    /// 本地预览：生成网站并在 http://127.0.0.1:8000/ 提供，保存后自动重新生成并刷新页面
    Serve(ServeArgs),
    /// 输出命令行补全脚本（bash、zsh、fish）
    Completions(CompletionsArgs),
    /// 导入 Word 文件（.docx）：每个文件生成一份待核对的文件
    Import(ImportArgs),
    /// 按 GB/T 15834 自动改正标点（半角改全角、书名号嵌套），并列出改动
    Fix(FixArgs),
}

#[derive(clap::Args, Debug, Clone)]
pub struct RootArg {
    /// 站点根目录（含 gazette.toml 的文件夹）
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
}

#[derive(clap::Args, Debug, Clone)]
pub struct BuildArgs {
    #[command(flatten)]
    pub root: RootArg,
    /// 输出文件夹，默认为站点根目录下的 public/
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// 按哪一天计算文件的有效性（YYYY-MM-DD），默认今天
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<Date>,
    /// 覆盖 gazette.toml 中的 base_url
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// 不压缩 HTML
    #[arg(long)]
    pub no_minify: bool,
    /// 不使用也不写入缓存（.gazette-cache/）
    #[arg(long)]
    pub no_cache: bool,
    /// 只输出错误
    #[arg(long, short)]
    pub quiet: bool,
    /// 生成后列出各阶段用时（找出慢在哪里）
    #[arg(long)]
    pub timings: bool,
}

#[derive(clap::Args, Debug, Clone)]
pub struct CheckArgs {
    #[command(flatten)]
    pub root: RootArg,
    /// 按哪一天计算有效性（YYYY-MM-DD），默认今天
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<Date>,
    /// 输出格式
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(clap::Args, Debug, Clone)]
pub struct NewArgs {
    /// 文件类别的键或名称，如 normative 或 行政规范性文件（以 gazette.toml 登记为准）；写 issue 新建一期政府公报
    #[arg(value_name = "文件类别")]
    pub kind: String,
    /// 新建公报时的期号 YYYY-NN，如 2026-07
    #[arg(value_name = "期号")]
    pub number: Option<String>,
    /// 标题（新建文件时必填）
    #[arg(long, value_name = "标题")]
    pub title: Option<String>,
    /// 发文机关（须已在 gazette.toml 登记；联合发文时重复写 --issuer）
    #[arg(long, value_name = "机关")]
    pub issuer: Vec<String>,
    /// 发文字号，如 某政办〔2026〕3号：写上它，id 就按本站的习惯由文号生成
    #[arg(long, value_name = "文号")]
    pub doc_number: Option<String>,
    /// 文件 id（小写字母、数字、连字符），默认由文号生成，没有文号时为 <文件类别>-<日期>-<序号>
    #[arg(long)]
    pub id: Option<String>,
    /// 新建版本文件（gazette new version）时：原文件的 id
    #[arg(long, value_name = "原文件")]
    pub version_of: Option<String>,
    /// 新建版本文件时：本文本吸收的修改决定的 id，按时间先后，可重复写
    #[arg(long, value_name = "修改决定")]
    pub amended_by: Vec<String>,
    #[command(flatten)]
    pub root: RootArg,
}

#[derive(clap::Args, Debug, Clone)]
pub struct ImportArgs {
    /// 要导入的 Word 文件（.docx），可写多个
    #[arg(value_name = "文件", required = true)]
    pub files: Vec<PathBuf>,
    /// 文件类别的键或名称；不写时按文号推断并标为待核对
    #[arg(long, value_name = "文件类别")]
    pub kind: Option<String>,
    /// 只显示将要生成的文件，不写入
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub root: RootArg,
}

#[derive(clap::Args, Debug, Clone)]
pub struct FixArgs {
    /// 要改正的文件或文件夹，默认为 content/
    #[arg(value_name = "路径")]
    pub paths: Vec<PathBuf>,
    /// 只检查不改写：有需要改正之处时退出码为 1（用于持续集成）
    #[arg(long)]
    pub check: bool,
    #[command(flatten)]
    pub root: RootArg,
}

#[derive(clap::Args, Debug, Clone)]
pub struct InitArgs {
    /// 新站点的文件夹（不存在或为空）
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

#[derive(clap::Args, Debug, Clone)]
pub struct ServeArgs {
    #[command(flatten)]
    pub root: RootArg,
    /// 监听地址；默认只接受本机访问
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
    pub bind: std::net::IpAddr,
    /// 端口；0 表示任选一个空闲端口
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// 按哪一天计算有效性（YYYY-MM-DD），默认今天
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<Date>,
}

#[derive(clap::Args, Debug, Clone)]
pub struct CompletionsArgs {
    /// 命令行外壳
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

/// The command line, parsed, with clap's English (usage, headings, errors) said in Chinese.
/// Help and version go to stdout with exit 0; a usage error to stderr with exit 2.
pub fn parse() -> Cli {
    use clap::{CommandFactory, FromArgMatches};
    let cmd = Cli::command();
    let matches = match cmd.clone().try_get_matches() {
        Ok(m) => m,
        Err(e) => exit_with(&e, cmd),
    };
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| exit_with(&e, Cli::command()))
}

/// clap's own words in its help and usage, in Chinese.
pub fn chinese(text: &str) -> String {
    const WORDS: &[(&str, &str)] = &[
        ("Usage:", "用法："),
        ("Commands:", "命令："),
        ("Options:", "选项："),
        ("Arguments:", "参数："),
        (
            "Print this message or the help of the given subcommand(s)",
            "显示本帮助或某个命令的帮助",
        ),
        ("Print help (see more with '--help')", "显示帮助"),
        ("Print help (see a summary with '-h')", "显示帮助"),
        ("Print help", "显示帮助"),
        ("Print version", "显示版本"),
        ("[OPTIONS]", "[选项]"),
        ("<COMMAND>", "<命令>"),
        ("[COMMAND]", "[命令]"),
        ("[default: ", "[默认："),
        ("[possible values: ", "[可选值："),
    ];
    let mut out = text.to_string();
    for (en, zh) in WORDS {
        out = out.replace(en, zh);
    }
    out
}

fn exit_with(e: &clap::Error, mut cmd: clap::Command) -> ! {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            print!("{}", chinese(&e.render().to_string()));
            std::process::exit(0);
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            eprint!("{}", chinese(&e.render().to_string()));
            std::process::exit(2);
        }
        _ => {}
    }
    let ctx = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join("、")),
        _ => None,
    };
    let arg = ctx(ContextKind::InvalidArg).unwrap_or_default();
    let value = ctx(ContextKind::InvalidValue).unwrap_or_default();
    let message = match e.kind() {
        ErrorKind::InvalidValue => format!("`{arg}` 的值 `{value}` 无效"),
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e)
                .map(ToString::to_string)
                .unwrap_or_default();
            format!("`{arg}` 的值 `{value}` 无效：{why}")
        }
        ErrorKind::UnknownArgument => format!("不认识的参数 `{arg}`"),
        ErrorKind::InvalidSubcommand => format!("没有 `{arg}` 这个命令"),
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数 {arg}"),
        ErrorKind::NoEquals => format!("`{arg}` 的值要用等号连接"),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!("`{arg}` 的值太多或太少")
        }
        ErrorKind::ArgumentConflict => format!("`{arg}` 不能与其他参数同时使用"),
        _ => "命令行参数有误".to_string(),
    };
    eprintln!("error: {message}");
    if let Some(v) = ctx(ContextKind::ValidValue) {
        eprintln!("   = 可选值：{v}");
    }
    if let Some(s) = ctx(ContextKind::SuggestedArg).or(ctx(ContextKind::SuggestedSubcommand)) {
        eprintln!("   = 提示：是否应为 `{s}`？");
    }
    // The usage of the subcommand that was typed, when there is one.
    let words: Vec<String> = std::env::args().skip(1).collect();
    let sub = words
        .iter()
        .find(|w| cmd.find_subcommand(w.as_str()).is_some())
        .cloned();
    let usage = match &sub {
        Some(name) => cmd
            .find_subcommand_mut(name.as_str())
            .map(|c| c.render_usage().to_string())
            .unwrap_or_default(),
        None => cmd.render_usage().to_string(),
    };
    let usage = chinese(&usage).replace("用法：", "").trim().to_string();
    let usage = match &sub {
        Some(_) if !usage.starts_with("gazette") => format!("gazette {usage}"),
        _ => usage,
    };
    eprintln!("\n用法：{usage}");
    let more = sub.map_or_else(
        || "gazette --help".to_string(),
        |s| format!("gazette {s} --help"),
    );
    eprintln!("更多信息：{more}");
    std::process::exit(2);
}

/// `YYYY-MM-DD`, a real date.
pub fn parse_date(s: &str) -> Result<Date, String> {
    gazette::contract::parse_date(s)
        .ok_or_else(|| format!("`{s}` 不是有效日期：请写成 YYYY-MM-DD，如 2026-06-30"))
}

/// Today in China Standard Time: statuses change at midnight in the city, not in UTC.
pub fn today() -> Date {
    let now = jiff::Timestamp::now();
    jiff::tz::offset(8).to_datetime(now).date()
}
