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
    /// 生成网站:把 content/ 生成为 public/ 中的静态网站
    Build(BuildArgs),
    /// 只检查内容,不写任何文件
    Check(CheckArgs),
    /// 新建一份文件:按文种写好全部键,待填写处由 check 提示
    New(NewArgs),
    /// 新建一个站点:配置、每个文种一份示例文件、.gitignore
    Init(InitArgs),
    /// 本地预览:生成网站并在 http://127.0.0.1:8000/ 提供,保存后自动重新生成并刷新页面
    Serve(ServeArgs),
    /// 输出命令行补全脚本(bash、zsh、fish)
    Completions(CompletionsArgs),
}

#[derive(clap::Args, Debug, Clone)]
pub struct RootArg {
    /// 站点根目录(含 gazette.toml 的文件夹)
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
}

#[derive(clap::Args, Debug, Clone)]
pub struct BuildArgs {
    #[command(flatten)]
    pub root: RootArg,
    /// 输出文件夹,默认为站点根目录下的 public/
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// 按哪一天计算文件的有效性(YYYY-MM-DD),默认今天
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<Date>,
    /// 覆盖 gazette.toml 中的 base_url
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// 不压缩 HTML
    #[arg(long)]
    pub no_minify: bool,
    /// 不使用也不写入缓存(.gazette-cache/)
    #[arg(long)]
    pub no_cache: bool,
    /// 只输出错误
    #[arg(long, short)]
    pub quiet: bool,
    /// 生成后列出各阶段用时(找出慢在哪里)
    #[arg(long)]
    pub timings: bool,
}

#[derive(clap::Args, Debug, Clone)]
pub struct CheckArgs {
    #[command(flatten)]
    pub root: RootArg,
    /// 按哪一天计算有效性(YYYY-MM-DD),默认今天
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<Date>,
    /// 输出格式
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(clap::Args, Debug, Clone)]
pub struct NewArgs {
    /// 文种,如 normative、regulation、interpretation(以 gazette.toml 登记为准)
    #[arg(value_name = "KIND")]
    pub kind: String,
    /// 标题
    #[arg(long)]
    pub title: String,
    /// 发文机关(须已在 gazette.toml 登记;联合发文时重复写 --issuer)
    #[arg(long, value_name = "NAME")]
    pub issuer: Vec<String>,
    /// 文件 id(小写字母、数字、连字符),默认为 <文种>-<日期>-<序号>
    #[arg(long)]
    pub id: Option<String>,
    #[command(flatten)]
    pub root: RootArg,
}

#[derive(clap::Args, Debug, Clone)]
pub struct InitArgs {
    /// 新站点的文件夹(不存在或为空)
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

#[derive(clap::Args, Debug, Clone)]
pub struct ServeArgs {
    #[command(flatten)]
    pub root: RootArg,
    /// 监听地址;默认只接受本机访问
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
    pub bind: std::net::IpAddr,
    /// 端口;0 表示任选一个空闲端口
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// 按哪一天计算有效性(YYYY-MM-DD),默认今天
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

/// `YYYY-MM-DD`, a real date.
pub fn parse_date(s: &str) -> Result<Date, String> {
    gazette::validate::fields::parse_date(s)
        .ok_or_else(|| format!("`{s}` 不是有效日期:请写成 YYYY-MM-DD,如 2026-06-30"))
}

/// Today in China Standard Time: statuses change at midnight in the city, not in UTC.
pub fn today() -> Date {
    let now = jiff::Timestamp::now();
    jiff::tz::offset(8).to_datetime(now).date()
}
