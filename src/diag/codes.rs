//! The registry of diagnostic codes.
//!
//! Codes are stable: editors search the user guide for them and CI annotations key on them.
//! Add new codes at the end of a group; never rename one. The user guide's troubleshooting
//! chapter has one section per code (`book/diagnostics.md`), and a test checks it does.

use serde::Serialize;

use super::Severity;

macro_rules! codes {
    ($( $variant:ident = $name:literal, $sev:ident, $about:literal; )*) => {
        /// A stable diagnostic code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $( $variant, )* }

        impl Code {
            /// Every code, in registry order.
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The stable name shown to users, e.g. `unknown-key`.
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $name, )* }
            }

            /// Errors fail the build; warnings are only printed.
            pub fn severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$sev, )* }
            }

            /// One sentence on what the code means, for `--help` style listings and the guide.
            pub fn about(self) -> &'static str {
                match self { $( Code::$variant => $about, )* }
            }
        }
    };
}

codes! {
    // Reading files.
    Io = "io", Error, "a file or folder could not be read or written";
    Encoding = "encoding", Error, "a text file is not valid UTF-8";
    MarkdownExtension = "markdown-extension", Error, "a Markdown file in content/ is not named `*.md` and would not be published";
    // Front matter and YAML.
    FrontMatterMissing = "front-matter-missing", Error, "a document does not start with a `---` line";
    FrontMatterUnclosed = "front-matter-unclosed", Error, "the front matter has no closing `---` line";
    YamlSyntax = "yaml-syntax", Error, "the front matter is not valid YAML";
    YamlLimit = "yaml-limit", Error, "the front matter is too large, too deep or uses too many aliases";
    NotAMapping = "not-a-mapping", Error, "the front matter is not a list of `key: value` lines";
    UnknownKey = "unknown-key", Error, "a key that the contract does not define";
    MissingKey = "missing-key", Error, "a key required for this kind of document is missing";
    WrongType = "wrong-type", Error, "a value has the wrong type (text, list, date, number)";
    InvalidValue = "invalid-value", Error, "a value is not one of the allowed values or forms";
    InvalidId = "invalid-id", Error, "an id is not lower-case ASCII letters, digits and hyphens";
    InvalidDate = "invalid-date", Error, "a date is not a real calendar date written YYYY-MM-DD";
    DateOrder = "date-order", Error, "dates contradict each other (issued after published, effective after expires)";
    DocNumberFormat = "doc-number-format", Error, "a 发文字号 does not follow GB/T 9704-2012 §7.2.5";
    InvisibleCharacter = "invisible-character", Error, "an id, title, 文号, issuer or summary holds an invisible, bidi or control character";
    // Registries.
    UnknownKind = "unknown-kind", Error, "a kind that gazette.toml does not register";
    UnknownIssuer = "unknown-issuer", Error, "an issuer that gazette.toml does not register";
    UnknownSubject = "unknown-subject", Error, "a subject that gazette.toml does not register";
    // The whole site.
    DuplicateId = "duplicate-id", Error, "two documents have the same id";
    DuplicateDocNumber = "duplicate-doc-number", Error, "two public documents have the same 发文字号";
    DanglingReference = "dangling-reference", Error, "a document names an id that no document has";
    NonPublicReference = "non-public-reference", Error, "a public document names a document that is not public";
    RelationCycle = "relation-cycle", Error, "documents repeal or amend each other in a circle";
    MissingInterpretation = "missing-interpretation", Error, "a document that needs a 政策解读 has none (退文)";
    InterpretsNonInterpretation = "interprets-wrong-kind", Error, "`interprets` is used on a document that is not an interpretation";
    AttachmentMissing = "attachment-missing", Error, "an attachment or PDF does not exist";
    ActiveAttachment = "active-attachment", Error, "an attachment is a file a browser would run as a page of the site";
    UnsafePath = "unsafe-path", Error, "a path or id would reach outside the content or output folder";
    IssueFileName = "issue-file-name", Error, "a gazette issue file is not named YYYY-NN.md";
    // The legal model (legal-model.md).
    ValidityNotApplicable = "validity-not-applicable", Error, "`effective` or `expires` on a kind that has no validity of its own";
    CleanupOnly = "cleanup-only", Error, "`continues` or `to_amend` on a document that is not a 清理 (`cleanup: true`)";
    InterpretationWrongTarget = "interpretation-wrong-kind", Error, "an `interpretation` names the document itself or a document that is not an interpretation";
    // Consultations and versions (versions.md).
    ConsultationOnly = "consultation-only", Error, "`comment_from`, `comment_to`, `feedback` or `feedback_report` on a kind that is not a consultation kind";
    ConsultedWrongKind = "consulted-wrong-kind", Error, "`consulted` names a document that is not a consultation (征求意见稿)";
    VersionMismatch = "version-mismatch", Error, "a version file's `amended_by` does not amend its document, its date is taken or before the document took effect";
    // Configuration and theme.
    ConfigSyntax = "config-syntax", Error, "gazette.toml is not valid TOML";
    ConfigInvalid = "config-invalid", Error, "gazette.toml has a wrong or unknown key or value";
    ThemeMissing = "theme-missing", Error, "the theme named in gazette.toml does not exist";
    Template = "template", Error, "a theme template failed to load or render";
    LocaleMissing = "locale-missing", Error, "the theme has no table of reader-facing words for `language`";
    OutputLocked = "output-locked", Error, "another build is writing the same output folder";
    OutputNotOurs = "output-not-ours", Error, "the output path holds something gazette did not make";
    DiskFull = "disk-full", Error, "the disk of the output has no space left";
    // Warnings.
    ExpiringSoon = "expiring-soon", Warning, "a normative document's 有效期 ends within 90 days";
    ValidityTooLong = "validity-too-long", Warning, "a document's 有效期 is longer than its kind allows";
    FilingOverdue = "filing-overdue", Warning, "a document was not filed (备案) within its kind's `filing_days`";
    DocNumberYear = "doc-number-year", Warning, "the year in a 发文字号 differs from the year the document was issued";
    InterpretationLate = "interpretation-late", Warning, "an interpretation was published later than `interpretation_max_lag_days` after its document";
    PublishLate = "publish-late", Warning, "a document was published more than 20 working days after it was issued";
    UnclosedHtml = "unclosed-html", Warning, "raw HTML in a body opens a tag or comment it never closes";
    Placeholder = "placeholder", Error, "a value still holds the placeholder that `gazette new` wrote";
    SiteIdentityMissing = "site-identity-missing", Warning, "gazette.toml's [site] leaves out an item every page of a government site must show";
    IssueFileMissing = "issue-file-missing", Warning, "documents name a gazette issue that has no file under content/gazette/";
    // Proofreading (GB/T 15834-2011) and imports: warnings.
    PunctuationWidth = "punctuation-width", Warning, "half-width punctuation next to Chinese text";
    PunctuationPair = "punctuation-pair", Warning, "a paired mark (《》“”（）) is unpaired or closed by the wrong mark";
    TitleNesting = "title-nesting", Warning, "书名号 nested inside 书名号 (《…《…》…》) instead of 〈〉";
    PunctuationRepeat = "punctuation-repeat", Warning, "two sentence marks in a row (。。 ，，)";
    DocNumberInText = "doc-number-in-text", Warning, "a 发文字号 in the text is written in a wrong form";
    DateInText = "date-in-text", Warning, "the 成文日期 under the body's signature differs from `issued`";
    Unconfirmed = "unconfirmed", Warning, "a value that `gazette import` guessed and nobody has confirmed yet";
    ImportFailed = "import-failed", Error, "a Word file could not be read by `gazette import`";
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// By its stable name, as it is written: a name this binary does not know is an error.
impl<'de> serde::Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Code, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown code `{name}`")))
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
