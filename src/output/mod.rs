//! Stage 6: write the site — into a staging folder beside the output, then swap it in whole.
//!
//! A failed, interrupted or killed build never touches the published folder: everything is
//! written to `.<name>.staging-<pid>` next to it, and only a complete build is swapped in, with
//! one atomic `renameat2(RENAME_EXCHANGE)` on Linux (readers never see a missing or half-written
//! site), or two renames elsewhere. A lock file keeps two builds of one output apart.

pub mod fs;
pub mod stamp;

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic};

/// An output folder being written. Dropping it without [`Staging::publish`] discards the work.
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    _lock: File,
    published: bool,
}

impl Staging {
    /// Takes the output's lock and creates a fresh staging folder beside it.
    pub fn begin(output: &Path) -> Result<Staging, Diagnostic> {
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| {
                Diagnostic::new(Code::Io, format!("输出路径 `{}` 无效", output.display()))
            })?;
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent)?;
        let lock_path = parent.join(format!(".{name}.lock"));
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| fs::io_error(&lock_path, "打开锁文件", e))?;
        if lock.try_lock().is_err() {
            return Err(Diagnostic::new(
                Code::OutputLocked,
                format!("另一个 gazette 正在生成 {}", output.display()),
            )
            .hint("等它结束后再运行;若确认没有其他构建在运行,可删除锁文件后重试")
            .in_file(&lock_path));
        }
        // Leftovers of killed builds (we hold the lock, so none is in use).
        if let Ok(entries) = std::fs::read_dir(&parent) {
            for e in entries.flatten() {
                let n = e.file_name().to_string_lossy().into_owned();
                if n.starts_with(&format!(".{name}.staging-"))
                    || n.starts_with(&format!(".{name}.old-"))
                {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        fs::create_dir_all(&dir)?;
        Ok(Staging {
            output: output.to_path_buf(),
            dir,
            _lock: lock,
            published: false,
        })
    }

    /// The folder to write into.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Swaps the staging folder in as the output.
    pub fn publish(mut self) -> Result<(), Diagnostic> {
        if self.output.exists() {
            let old = self.dir.with_file_name(
                self.dir
                    .file_name()
                    .map(|n| n.to_string_lossy().replace(".staging-", ".old-"))
                    .unwrap_or_default(),
            );
            if exchange(&self.dir, &self.output).is_ok() {
                // `dir` now holds the previous site.
                if std::fs::rename(&self.dir, &old).is_ok() {
                    remove_later(old);
                } else {
                    let _ = std::fs::remove_dir_all(&self.dir);
                }
            } else {
                fs::rename(&self.output, &old)?;
                fs::rename(&self.dir, &self.output)?;
                remove_later(old);
            }
        } else {
            fs::rename(&self.dir, &self.output)?;
        }
        self.published = true;
        Ok(())
    }
}

/// Removes the previous site without making the build wait for it: the new one is already
/// published. At 100 000 documents the old site is 200 000 files, and removing them took 50 s
/// on a disk mounted with `discard`. A child process does it at the lowest priority (a thread
/// of ours reaps it; if gazette exits first, the child goes on alone). Should it not start, the
/// folder is removed here; should it be stopped, the next build's [`Staging::begin`] removes
/// what is left (an `.old-` folder beside the output).
fn remove_later(old: PathBuf) {
    let child = std::process::Command::new("nice")
        .args(["-n", "19", "rm", "-rf", "--"])
        .arg(&old)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match child {
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(_) => {
            let _ = std::fs::remove_dir_all(&old);
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.published {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes())?;
    let cb = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are valid NUL-terminated paths; AT_FDCWD resolves them like rename(2).
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}
