//! Deterministic gzip for the search files: no time and no name in the header, so the same
//! bytes give the same file on every build.

/// `bytes` compressed with gzip, deterministically (no time, no name in the header): the same
/// bytes as `flate2::GzBuilder` with `mtime(0)` writes, from one deflate state per thread, reset
/// for each file. A fresh state per file zeroed some 400 KB of tables before compressing a
/// shard of a few kilobytes: 8 % of the instructions of a clean build.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress, Status};
    use std::cell::RefCell;
    /// The deflate state and the output window `flate2`'s writer gives it (`zio.rs`: 32 KiB).
    /// zlib-rs cuts blocks where the output window fills, so the same window gives the same
    /// bytes.
    struct Deflate {
        state: Compress,
        window: Vec<u8>,
    }
    thread_local! {
        static DEFLATE: RefCell<Option<Deflate>> = const { RefCell::new(None) };
    }
    let mut out = Vec::with_capacity(GZIP_HEADER.len() + bytes.len() / 2 + 64);
    out.extend_from_slice(&GZIP_HEADER);
    let deflated = DEFLATE.with(|cell| {
        let mut cell = cell.borrow_mut();
        let Deflate { state, window } = cell.get_or_insert_with(|| Deflate {
            state: Compress::new(Compression::default(), false),
            window: Vec::with_capacity(32 * 1024),
        });
        state.reset();
        let start = state.total_in();
        // As `GzEncoder` feeds it: all the input without flushing, then the end.
        loop {
            let read = (state.total_in() - start) as usize;
            let flush = if read == bytes.len() {
                FlushCompress::Finish
            } else {
                FlushCompress::None
            };
            window.clear();
            let before = state.total_out();
            let status = state.compress_vec(&bytes[read..], window, flush);
            out.extend_from_slice(window);
            match status {
                Ok(Status::StreamEnd) => return true,
                // No input taken and no output made: another call would do the same.
                Ok(_) if state.total_in() - start == read as u64 && state.total_out() == before => {
                    return false;
                }
                Ok(_) => {}
                Err(_) => return false,
            }
        }
    });
    if !deflated {
        // Never seen; should the reused state ever stall, a fresh writer makes the same bytes.
        return gzip_fresh(bytes);
    }
    let mut crc = flate2::Crc::new();
    crc.update(bytes);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out
}

/// [`gzip`] with a new `flate2` gzip writer (and its new state).
pub(super) fn gzip_fresh(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::default());
    // Writing to a vector cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

/// The header `flate2::GzBuilder::new().mtime(0)` writes at the default level: magic, deflate,
/// no flags, no time, no extra flags, unknown system (RFC 1952 §2.3).
const GZIP_HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
