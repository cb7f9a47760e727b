//! `gazette import`: Word (`.docx`) files → document files ready for `gazette check`.
//!
//! City offices write documents in Word or WPS; retyping them into Markdown loses time and adds
//! slips. The stages: [`docx`] reads the ZIP and XML parts into blocks (no external program),
//! [`layout`] recognises the official-document layout of GB/T 9704 to guess the front matter,
//! [`markdown`] writes the body, and [`ids`] proposes the id from the 文号 as the site already
//! names its documents. The command (`src/cmd/import.rs`) writes the file with each guess
//! marked `# 待核对`, which `gazette check` lists until the editor confirms it.

pub mod docx;
pub mod ids;
pub mod layout;
pub mod markdown;
pub mod xml;

use crate::config::Config;

/// One converted Word file, before it is written.
#[derive(Debug)]
pub struct Imported {
    pub layout: layout::Layout,
    /// The Markdown body (media links already use `media`'s names).
    pub body: String,
    /// (name beside the document, bytes) for images and embedded files.
    pub media: Vec<(String, Vec<u8>)>,
}

/// Reads and converts a Word file. `id` is called with the recognised layout and returns the
/// document's id (which prefixes media file names).
pub fn convert(
    bytes: &[u8],
    config: &Config,
    id: impl FnOnce(&layout::Layout) -> String,
) -> Result<(Imported, String), String> {
    let docx = docx::read(bytes)?;
    let layout = layout::recognise(&docx.blocks, config);
    let id = id(&layout);
    let blocks: Vec<&docx::Block> = layout.body.iter().map(|&i| &docx.blocks[i]).collect();
    let (body, media) = markdown::body(&docx, &blocks, &id);
    let media = media
        .into_iter()
        .filter_map(|(path, name)| docx.files.get(&path).map(|b| (name, b.clone())))
        .collect();
    Ok((
        Imported {
            layout,
            body,
            media,
        },
        id,
    ))
}
