//! Writing `.docx` files for the import tests, with the `zip` crate and hand-written
//! WordprocessingML: each construct the importer reads (headings, lists, tables with merged
//! cells, bold, footnotes, images, embedded files) as Word itself writes it.

use std::io::Write;

/// A document under construction: body XML, footnotes, media and relationships.
#[derive(Default)]
pub struct Docx {
    body: String,
    footnotes: Vec<String>,
    rels: Vec<(String, String, String)>,
    media: Vec<(String, Vec<u8>)>,
}

/// Text escaped for XML.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A run of text, bold or not.
pub fn run(text: &str, bold: bool) -> String {
    let pr = if bold { "<w:rPr><w:b/></w:rPr>" } else { "" };
    format!(
        r#"<w:r>{pr}<w:t xml:space="preserve">{}</w:t></w:r>"#,
        esc(text)
    )
}

impl Docx {
    pub fn new() -> Docx {
        Docx::default()
    }

    /// A paragraph of runs with paragraph properties `ppr` (may be empty).
    pub fn para_runs(&mut self, ppr: &str, runs: &str) -> &mut Docx {
        self.body
            .push_str(&format!("<w:p><w:pPr>{ppr}</w:pPr>{runs}</w:p>"));
        self
    }

    pub fn p(&mut self, text: &str) -> &mut Docx {
        self.para_runs("", &run(text, false))
    }

    pub fn center(&mut self, text: &str) -> &mut Docx {
        self.para_runs(r#"<w:jc w:val="center"/>"#, &run(text, false))
    }

    pub fn right(&mut self, text: &str) -> &mut Docx {
        self.para_runs(r#"<w:jc w:val="right"/>"#, &run(text, false))
    }

    /// A paragraph in Word's heading style `level` (styles.xml names it `heading N`).
    pub fn heading(&mut self, level: u8, text: &str) -> &mut Docx {
        self.para_runs(
            &format!(r#"<w:pStyle w:val="Heading{level}"/>"#),
            &run(text, false),
        )
    }

    /// A list item: numbering 1 is bullets, 2 Arabic `%1.`, 3 Chinese `%1、`.
    pub fn item(&mut self, num: u8, level: u8, text: &str) -> &mut Docx {
        self.para_runs(
            &format!(r#"<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr>"#),
            &run(text, false),
        )
    }

    /// A footnote reference run; the note's text is added to footnotes.xml.
    pub fn note(&mut self, text: &str) -> String {
        let id = self.footnotes.len() + 1;
        self.footnotes.push(format!(
            r#"<w:footnote w:id="{id}"><w:p>{}</w:p></w:footnote>"#,
            run(text, false)
        ));
        format!(r#"<w:r><w:footnoteReference w:id="{id}"/></w:r>"#)
    }

    /// An inline image run (the bytes go to word/media/).
    pub fn image(&mut self, name: &str, bytes: &[u8]) -> String {
        let rid = self.rel("image", &format!("media/{name}"));
        self.media
            .push((format!("word/media/{name}"), bytes.to_vec()));
        format!(
            r#"<w:r><w:drawing><wp:inline xmlns:wp="wp"><a:graphic xmlns:a="a"><a:graphicData><pic:pic xmlns:pic="pic"><pic:blipFill><a:blip r:embed="{rid}"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#
        )
    }

    /// An embedded file (OLE object) run (the bytes go to word/embeddings/).
    pub fn object(&mut self, name: &str, bytes: &[u8]) -> String {
        let rid = self.rel("package", &format!("embeddings/{name}"));
        self.media
            .push((format!("word/embeddings/{name}"), bytes.to_vec()));
        format!(
            r#"<w:r><w:object><o:OLEObject xmlns:o="o" ProgID="Excel.Sheet.12" r:id="{rid}"/></w:object></w:r>"#
        )
    }

    fn rel(&mut self, kind: &str, target: &str) -> String {
        let id = format!("rId{}", self.rels.len() + 10);
        self.rels.push((
            id.clone(),
            format!("http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}"),
            target.to_string(),
        ));
        id
    }

    /// A table: each cell is (text, grid span, vertical merge: "" none, "restart", "continue").
    pub fn table(&mut self, rows: &[&[(&str, u8, &str)]]) -> &mut Docx {
        let mut t = String::from("<w:tbl>");
        for row in rows {
            t.push_str("<w:tr>");
            for (text, span, vmerge) in *row {
                let mut pr = String::new();
                if *span > 1 {
                    pr.push_str(&format!(r#"<w:gridSpan w:val="{span}"/>"#));
                }
                match *vmerge {
                    "restart" => pr.push_str(r#"<w:vMerge w:val="restart"/>"#),
                    "continue" => pr.push_str("<w:vMerge/>"),
                    _ => {}
                }
                t.push_str(&format!(
                    "<w:tc><w:tcPr>{pr}</w:tcPr><w:p>{}</w:p></w:tc>",
                    if text.is_empty() {
                        String::new()
                    } else {
                        run(text, false)
                    }
                ));
            }
            t.push_str("</w:tr>");
        }
        t.push_str("</w:tbl>");
        self.body.push_str(&t);
        self
    }

    /// The `.docx` bytes.
    pub fn bytes(&self) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let mut put = |name: &str, bytes: &[u8]| {
            zip.start_file(name, opts).unwrap();
            zip.write_all(bytes).unwrap();
        };
        const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;
        put(
            "[Content_Types].xml",
            br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#,
        );
        put(
            "_rels/.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#,
        );
        put(
            "word/document.xml",
            format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{}<w:sectPr/></w:body></w:document>"#, self.body).as_bytes(),
        );
        let mut rels = String::from(
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.cn/" TargetMode="External"/>"#,
        );
        for (id, kind, target) in &self.rels {
            rels.push_str(&format!(
                r#"<Relationship Id="{id}" Type="{kind}" Target="{target}"/>"#
            ));
        }
        rels.push_str("</Relationships>");
        put("word/_rels/document.xml.rels", rels.as_bytes());
        put(
            "word/styles.xml",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:styles {W}><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/></w:style></w:styles>"#).as_bytes(),
        );
        put(
            "word/numbering.xml",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:numbering {W}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/><w:lvlText w:val="o"/></w:lvl></w:abstractNum><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num><w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num></w:numbering>"#).as_bytes(),
        );
        put(
            "word/footnotes.xml",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:footnotes {W}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>{}</w:footnotes>"#, self.footnotes.concat()).as_bytes(),
        );
        for (name, bytes) in &self.media {
            put(name, bytes);
        }
        zip.finish().unwrap().into_inner()
    }
}

/// The smallest valid PNG (1×1, transparent).
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

/// A government document laid out per GB/T 9704-2012, as an office's OA system exports it:
/// 份号, 发文机关标志, 发文字号 with 签发人, a two-line 标题, 主送机关, body, 附件说明, 落款,
/// 成文日期, 附注, and the 版记 (抄送, 印发机关和印发日期).
pub fn official() -> Vec<u8> {
    let mut d = Docx::new();
    d.p("000128")
        .center("洛阳市人民政府办公室文件")
        .center("洛政办〔2024〕12号")
        .center("洛阳市人民政府办公室")
        .center("关于印发洛阳市老旧小区加装电梯实施办法的通知")
        .p("各县（市、区）人民政府，市人民政府各部门：")
        .p("《洛阳市老旧小区加装电梯实施办法》已经市政府同意，现印发给你们，请认真贯彻执行。")
        .p("一、适用范围")
        .p("本办法适用于本市城镇老旧小区既有住宅加装电梯。")
        .p("二、资金来源")
        .p("加装电梯资金由业主按照楼层分摊，财政给予适当补助。")
        .p("附件：洛阳市老旧小区加装电梯补助标准")
        .right("洛阳市人民政府办公室")
        .right("2024年3月18日")
        .p("（此件公开发布）")
        .p("抄送：市委各部门，市人大常委会办公室，市政协办公室。")
        .p("洛阳市人民政府办公室 2024年3月20日印发");
    d.bytes()
}
