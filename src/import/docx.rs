//! Reading a `.docx` (Office Open XML, as Word and WPS write it) into [`Block`]s.
//!
//! A `.docx` is a ZIP of XML parts: `word/document.xml` (the body), `word/numbering.xml`
//! (list and heading numbers that Word draws but does not store as text), `word/styles.xml`
//! (which styles are headings), `word/footnotes.xml`, and `word/_rels/document.xml.rels`
//! (which image or embedded file a `r:id` names). This module reads those with the `zip` and
//! `quick-xml` crates — no external program — and keeps what a gazette page needs: paragraphs
//! with bold runs, headings, lists, tables with their merged cells, footnotes, images and
//! embedded files. Every read is bounded, so a ZIP bomb is an error, not an outage.

use std::collections::HashMap;
use std::io::Read;

use super::xml::{self, Element};

/// The most bytes we unpack from one part or media file.
const MAX_PART: u64 = 64 << 20;
/// The most bytes we unpack from the whole file.
const MAX_TOTAL: u64 = 256 << 20;

/// A piece of a paragraph.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text {
        text: String,
        bold: bool,
    },
    /// A footnote reference: the footnote's id in `footnotes.xml`.
    Note(String),
    /// An image: its path inside the ZIP.
    Image(String),
    /// An embedded file (OLE object): its path inside the ZIP.
    Object(String),
    Break,
}

/// A paragraph with what Word knows about it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Para {
    /// Heading level from the paragraph's style or outline level (1 = Word's 标题 1).
    pub heading: Option<u8>,
    /// A Word list item: (ordered, level from 0).
    pub list: Option<(bool, u8)>,
    /// The number Word draws before the text (`一、`, `（一）`), when its format is Chinese.
    pub label: Option<String>,
    pub centered: bool,
    pub right: bool,
    pub inlines: Vec<Inline>,
}

impl Para {
    /// The plain text, label included.
    pub fn text(&self) -> String {
        let mut s = self.label.clone().unwrap_or_default();
        for i in &self.inlines {
            match i {
                Inline::Text { text, .. } => s.push_str(text),
                Inline::Break => s.push(' '),
                _ => {}
            }
        }
        s
    }
}

/// A table cell: its paragraphs, how many grid columns it spans, and its vertical merge
/// (`Some(true)` starts a merged run, `Some(false)` continues the cell above).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    pub paras: Vec<Para>,
    pub span: usize,
    pub vmerge: Option<bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Para(Para),
    Table(Vec<Vec<Cell>>),
}

/// A read `.docx`: the body, the footnotes (id → paragraphs) and the files it carries.
#[derive(Debug, Default)]
pub struct Docx {
    pub blocks: Vec<Block>,
    pub footnotes: HashMap<String, Vec<Para>>,
    /// Media and embedded files by their path inside the ZIP.
    pub files: HashMap<String, Vec<u8>>,
}

/// Reads a `.docx` from its bytes. The error says in Chinese what is wrong.
pub fn read(bytes: &[u8]) -> Result<Docx, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| {
        "不是 .docx 文件（不是 ZIP 压缩包；.doc 旧格式请先在 Word/WPS 中另存为 .docx）".to_string()
    })?;
    let mut budget = MAX_TOTAL;
    let mut part = |zip: &mut zip::ZipArchive<_>, name: &str| -> Result<Option<Vec<u8>>, String> {
        let Ok(f) = zip.by_name(name) else {
            return Ok(None);
        };
        let mut out = Vec::new();
        f.take(MAX_PART.min(budget) + 1)
            .read_to_end(&mut out)
            .map_err(|_| format!("{name} 已损坏，无法解压"))?;
        if out.len() as u64 > MAX_PART.min(budget) {
            return Err(format!("{name} 解压后过大（超过 {} MB）", MAX_PART >> 20));
        }
        budget -= out.len() as u64;
        Ok(Some(out))
    };
    let xml_part = |bytes: Option<Vec<u8>>, name: &str| -> Result<Option<Element>, String> {
        let Some(b) = bytes else { return Ok(None) };
        let text = String::from_utf8(b).map_err(|_| format!("{name} 不是 UTF-8 文本"))?;
        xml::parse(text.trim_start_matches('\u{feff}'))
            .map(Some)
            .map_err(|e| format!("{name} 不是有效的 XML:{e}"))
    };
    let document = xml_part(part(&mut zip, "word/document.xml")?, "word/document.xml")?
        .ok_or("缺少正文 word/document.xml，不是 Word 文档")?;
    let rels = xml_part(
        part(&mut zip, "word/_rels/document.xml.rels")?,
        "word/_rels/document.xml.rels",
    )?;
    let numbering = xml_part(part(&mut zip, "word/numbering.xml")?, "word/numbering.xml")?;
    let styles = xml_part(part(&mut zip, "word/styles.xml")?, "word/styles.xml")?;
    let notes = xml_part(part(&mut zip, "word/footnotes.xml")?, "word/footnotes.xml")?;

    let targets = relationships(rels.as_ref());
    let mut reader = Reader {
        targets: &targets,
        numbering: Numbering::new(numbering.as_ref()),
        headings: heading_styles(styles.as_ref()),
        counters: HashMap::new(),
    };
    let body = document
        .child("body")
        .ok_or("word/document.xml 没有 body")?;
    let blocks = reader.blocks(body);
    let mut footnotes = HashMap::new();
    if let Some(n) = &notes {
        for f in n.elements().filter(|e| e.name == "footnote") {
            if matches!(f.attr("type"), Some("separator" | "continuationSeparator")) {
                continue;
            }
            if let Some(id) = f.attr("id") {
                let paras = f
                    .elements()
                    .filter(|e| e.name == "p")
                    .map(|p| reader.para(p))
                    .collect();
                footnotes.insert(id.to_string(), paras);
            }
        }
    }
    let mut files = HashMap::new();
    let wanted: Vec<String> = targets.values().cloned().collect();
    for name in wanted {
        if let Some(b) = part(&mut zip, &name)? {
            files.insert(name, b);
        }
    }
    Ok(Docx {
        blocks,
        footnotes,
        files,
    })
}

/// `rId` → path inside the ZIP, for images and embedded objects.
fn relationships(rels: Option<&Element>) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for r in rels.into_iter().flat_map(|r| r.elements()) {
        if r.attr("TargetMode") == Some("External") {
            continue;
        }
        if let (Some(id), Some(target)) = (r.attr("Id"), r.attr("Target")) {
            let path = match target.strip_prefix('/') {
                Some(abs) => abs.to_string(),
                None => format!("word/{target}"),
            };
            if path.starts_with("word/media/") || path.starts_with("word/embeddings/") {
                out.insert(id.to_string(), path);
            }
        }
    }
    out
}

/// Style id → heading level (Word's 标题 1 → 1), from the style name or its outline level.
fn heading_styles(styles: Option<&Element>) -> HashMap<String, u8> {
    let mut out = HashMap::new();
    for s in styles.into_iter().flat_map(|s| s.elements()) {
        let Some(id) = s.attr("styleId") else {
            continue;
        };
        let name = s
            .child("name")
            .and_then(|n| n.attr("val"))
            .unwrap_or("")
            .to_lowercase();
        let from_name = name
            .strip_prefix("heading ")
            .or_else(|| name.strip_prefix("标题 "))
            .and_then(|n| n.trim().parse::<u8>().ok());
        let from_outline = s
            .child("pPr")
            .and_then(|p| p.child("outlineLvl"))
            .and_then(|o| o.attr("val"))
            .and_then(|v| v.parse::<u8>().ok())
            .map(|v| v + 1);
        if let Some(level) = from_name.or(from_outline).filter(|l| (1..=6).contains(l)) {
            out.insert(id.to_string(), level);
        }
    }
    out
}

/// `numbering.xml`: numId → per level (format, text such as `%1、`).
struct Numbering {
    levels: HashMap<String, Vec<(String, String)>>,
}

impl Numbering {
    fn new(numbering: Option<&Element>) -> Numbering {
        let mut abstracts: HashMap<&str, Vec<(String, String)>> = HashMap::new();
        let mut levels = HashMap::new();
        let Some(n) = numbering else {
            return Numbering { levels };
        };
        for a in n.elements().filter(|e| e.name == "abstractNum") {
            let lv = a
                .elements()
                .filter(|e| e.name == "lvl")
                .map(|l| {
                    let get = |k: &str| {
                        l.child(k)
                            .and_then(|e| e.attr("val"))
                            .unwrap_or("")
                            .to_string()
                    };
                    (get("numFmt"), get("lvlText"))
                })
                .collect();
            if let Some(id) = a.attr("abstractNumId") {
                abstracts.insert(id, lv);
            }
        }
        for num in n.elements().filter(|e| e.name == "num") {
            let abs = num.child("abstractNumId").and_then(|e| e.attr("val"));
            if let (Some(id), Some(lv)) = (num.attr("numId"), abs.and_then(|a| abstracts.get(a))) {
                levels.insert(id.to_string(), lv.clone());
            }
        }
        Numbering { levels }
    }
}

struct Reader<'a> {
    targets: &'a HashMap<String, String>,
    numbering: Numbering,
    headings: HashMap<String, u8>,
    /// Running numbers per (numId, level).
    counters: HashMap<(String, usize), u32>,
}

impl Reader<'_> {
    fn blocks(&mut self, parent: &Element) -> Vec<Block> {
        let mut out = Vec::new();
        for e in parent.elements() {
            match e.name.as_str() {
                "p" => out.push(Block::Para(self.para(e))),
                "tbl" => out.push(Block::Table(self.table(e))),
                // Content controls and tracked insertions hold ordinary blocks.
                "sdt" | "sdtContent" | "ins" | "customXml" => out.extend(self.blocks(e)),
                _ => {}
            }
        }
        out
    }

    fn table(&mut self, tbl: &Element) -> Vec<Vec<Cell>> {
        let mut rows = Vec::new();
        for tr in tbl.elements().filter(|e| e.name == "tr") {
            let mut row = Vec::new();
            for tc in tr.elements().filter(|e| e.name == "tc") {
                let pr = tc.child("tcPr");
                let span = pr
                    .and_then(|p| p.child("gridSpan"))
                    .and_then(|g| g.attr("val"))
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, 64);
                let vmerge = pr
                    .and_then(|p| p.child("vMerge"))
                    .map(|v| v.attr("val") == Some("restart"));
                let paras = tc
                    .elements()
                    .filter(|e| e.name == "p")
                    .map(|p| self.para(p))
                    .collect();
                row.push(Cell {
                    paras,
                    span,
                    vmerge,
                });
            }
            rows.push(row);
        }
        rows
    }

    fn para(&mut self, p: &Element) -> Para {
        let mut para = Para::default();
        if let Some(pr) = p.child("pPr") {
            let val = |k: &str| pr.child(k).and_then(|e| e.attr("val"));
            para.heading = val("pStyle")
                .and_then(|s| self.headings.get(s).copied())
                .or_else(|| {
                    val("outlineLvl")
                        .and_then(|v| v.parse::<u8>().ok())
                        .filter(|&v| v < 6)
                        .map(|v| v + 1)
                });
            para.centered = val("jc") == Some("center");
            para.right = matches!(val("jc"), Some("right" | "end"));
            if let Some(np) = pr.child("numPr") {
                let id = np.child("numId").and_then(|e| e.attr("val")).unwrap_or("0");
                let level = np
                    .child("ilvl")
                    .and_then(|e| e.attr("val"))
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(0)
                    .min(8);
                self.number(&mut para, id, level);
            }
        }
        self.inlines(p, false, &mut para.inlines);
        para
    }

    /// A numbered paragraph: Chinese formats become a text label (`一、`); bullets and Arabic
    /// numbers become a Markdown list item.
    fn number(&mut self, para: &mut Para, id: &str, level: usize) {
        let Some(levels) = self.numbering.levels.get(id) else {
            return;
        };
        let (fmt, text) = levels.get(level).cloned().unwrap_or_default();
        for deeper in level + 1..9 {
            self.counters.remove(&(id.to_string(), deeper));
        }
        let n = self.counters.entry((id.to_string(), level)).or_insert(0);
        *n += 1;
        let n = *n;
        match fmt.as_str() {
            "bullet" => para.list = Some((false, level as u8)),
            "decimal" if text.trim() == format!("%{}.", level + 1) => {
                para.list = Some((true, level as u8));
            }
            "none" | "" => {}
            _ => {
                let shown = match fmt.as_str() {
                    "chineseCounting"
                    | "chineseCountingThousand"
                    | "ideographTraditional"
                    | "ideographDigital"
                    | "chineseLegalSimplified" => chinese_number(n),
                    "lowerLetter" => char::from_u32(u32::from(b'a') + (n - 1) % 26)
                        .map_or(String::new(), String::from),
                    "upperLetter" => char::from_u32(u32::from(b'A') + (n - 1) % 26)
                        .map_or(String::new(), String::from),
                    _ => n.to_string(),
                };
                let label = text.replace(&format!("%{}", level + 1), &shown);
                para.label = Some(label);
            }
        }
    }

    fn inlines(&self, e: &Element, bold: bool, out: &mut Vec<Inline>) {
        for c in e.elements() {
            match c.name.as_str() {
                "r" => {
                    let b = c
                        .child("rPr")
                        .and_then(|p| p.child("b"))
                        .is_some_and(|b| !matches!(b.attr("val"), Some("0" | "false" | "off")));
                    self.run(c, bold || b, out);
                }
                "hyperlink" | "ins" | "smartTag" | "fldSimple" | "sdt" | "sdtContent" => {
                    self.inlines(c, bold, out);
                }
                _ => {}
            }
        }
    }

    fn run(&self, r: &Element, bold: bool, out: &mut Vec<Inline>) {
        for c in r.elements() {
            match c.name.as_str() {
                "t" => out.push(Inline::Text {
                    text: c.text(),
                    bold,
                }),
                "tab" => out.push(Inline::Text {
                    text: " ".into(),
                    bold,
                }),
                "br" | "cr" => out.push(Inline::Break),
                "footnoteReference" => {
                    if let Some(id) = c.attr("id") {
                        out.push(Inline::Note(id.to_string()));
                    }
                }
                "drawing" | "pict" => {
                    let blip = c.find("blip").and_then(|b| b.attr("embed"));
                    let image = blip.or_else(|| c.find("imagedata").and_then(|i| i.attr("id")));
                    if let Some(path) = image.and_then(|id| self.targets.get(id)) {
                        out.push(Inline::Image(path.clone()));
                    }
                }
                "object" => {
                    let ole = c.find("OLEObject").and_then(|o| o.attr("id"));
                    if let Some(path) = ole.and_then(|id| self.targets.get(id)) {
                        out.push(Inline::Object(path.clone()));
                    }
                }
                _ => {}
            }
        }
    }
}

/// 1 → 一, 12 → 十二, 20 → 二十 (numbers of headings and lists).
pub fn chinese_number(n: u32) -> String {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n as usize].to_string(),
        10..=19 => format!(
            "十{}",
            if n > 10 {
                DIGITS[(n % 10) as usize]
            } else {
                ""
            }
        ),
        20..=99 => format!(
            "{}十{}",
            DIGITS[(n / 10) as usize],
            if !n.is_multiple_of(10) {
                DIGITS[(n % 10) as usize]
            } else {
                ""
            }
        ),
        _ => n.to_string(),
    }
}
