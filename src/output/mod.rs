//! Stage 6: write the site — into a staging folder beside the output, then swap it in whole.
//!
//! A failed, interrupted or killed build never touches the published folder: everything is
//! written to `.<name>.staging-<pid>` next to it, and only a complete build is swapped in, with
//! one atomic `renameat2(RENAME_EXCHANGE)` on Linux (readers never see a missing or half-written
//! site), or two renames elsewhere. A lock file keeps two builds of one output apart.
//! [`guard`] decides first whether the output may be replaced at all, and whether it is a
//! symbolic link to switch instead.

pub(crate) mod fs;
pub(crate) mod guard;
pub(crate) mod inputs;
pub(crate) mod links;
pub(crate) mod stamp;
pub(crate) mod tree;

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic};
pub(crate) use guard::Target;
pub(crate) use tree::Tree;

/// An output folder being written. Dropping it without [`Staging::publish`] discards the work.
pub(crate) struct Staging {
    target: Target,
    dir: PathBuf,
    /// Where the site published before this build's is kept for the next one to take up
    /// (`.<name>.previous` beside the staging folder; see [`tree`]).
    previous: PathBuf,
    /// Whether the site this build replaces is kept at `previous` (a build with a cache, whose
    /// stamps let the next build check it; see [`Staging::tree_from_previous`]).
    keep: bool,
    _lock: File,
    published: bool,
}

impl Staging {
    /// Takes the output's lock and creates a fresh staging folder beside it (beside a linked
    /// output's target), holding the [`guard::MARKER`]. `target` is what [`guard::check`]
    /// found at `output`.
    pub(crate) fn begin(output: &Path, target: Target) -> Result<Staging, Diagnostic> {
        let (name, parent) = name_and_parent(output)?;
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
            .hint("等它结束后再运行；若确认没有其他构建在运行，可删除锁文件后重试")
            .in_file(&lock_path));
        }
        // A linked output is staged beside the link's target (the same filesystem: the new
        // folder is renamed there, not copied).
        let (name, parent) = match &target {
            Target::Folder(_) => (name, parent),
            Target::Link { target, .. } => {
                let (name, parent) = name_and_parent(target)?;
                (version_base(&name).to_string(), parent)
            }
        };
        fs::create_dir_all(&parent)?;
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
        fs::write(&dir.join(guard::MARKER), guard::MARKER_TEXT.as_bytes())?;
        Ok(Staging {
            target,
            dir,
            previous: parent.join(format!(".{name}.{PREVIOUS}")),
            keep: false,
            _lock: lock,
            published: false,
        })
    }

    /// Where the site published before the last build is kept, if it is.
    pub(crate) fn previous(&self) -> &Path {
        &self.previous
    }

    /// The folder to write into.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// The staging folder to write the site into, empty but for the marker.
    pub(crate) fn fresh_tree(&self) -> Tree {
        self.discard_previous();
        let tree = Tree::fresh(self.dir.clone());
        tree.keep(&self.dir.join(guard::MARKER));
        tree
    }

    /// The staging folder to write the site into: the site published before the last build,
    /// taken up again when `check` finds it exactly as its build left it (`check` gets its
    /// folder and gives its files as its stamp lists them), so that only what differs is written
    /// ([`tree`]); else an empty one.
    pub(crate) fn tree_from_previous(
        &mut self,
        check: impl FnOnce(&Path) -> Option<stamp::Previous>,
    ) -> Tree {
        self.keep = true;
        if !self.previous.is_dir() {
            return self.fresh_tree();
        }
        let Some((files, sums)) = check(&self.previous) else {
            return self.fresh_tree();
        };
        // The empty staging folder made the way for it.
        if std::fs::remove_dir_all(&self.dir).is_err()
            || std::fs::rename(&self.previous, &self.dir).is_err()
        {
            let _ = std::fs::create_dir_all(&self.dir);
            let _ = fs::write(&self.dir.join(guard::MARKER), guard::MARKER_TEXT.as_bytes());
            return self.fresh_tree();
        }
        let tree = Tree::reused(self.dir.clone(), files, sums);
        let _ = tree.write(&self.dir.join(guard::MARKER), guard::MARKER_TEXT.as_bytes());
        tree
    }

    /// Swaps the staging folder in as the output.
    pub(crate) fn publish(mut self) -> Result<(), Diagnostic> {
        let output = match &self.target {
            Target::Folder(output) => output.clone(),
            Target::Link { link, target, text } => {
                let (link, target, text) = (link.clone(), target.clone(), text.clone());
                self.switch_link(&link, &target, &text)?;
                self.published = true;
                return Ok(());
            }
        };
        if output.exists() {
            let old = self.dir.with_file_name(
                self.dir
                    .file_name()
                    .map(|n| n.to_string_lossy().replace(".staging-", ".old-"))
                    .unwrap_or_default(),
            );
            if exchange(&self.dir, &output).is_ok() {
                // `dir` now holds the previous site: kept for the next build to take up.
                if !self.keep_previous(&self.dir) {
                    let _ = std::fs::remove_dir_all(&self.dir);
                }
            } else {
                fs::rename(&output, &old)?;
                fs::rename(&self.dir, &output)?;
                if !self.keep_previous(&old) {
                    remove_later(old);
                }
            }
        } else {
            fs::rename(&self.dir, &output)?;
        }
        self.published = true;
        Ok(())
    }

    /// Publishes beside a linked output's `target` and switches the link to the new folder:
    /// a new link made under a temporary name and renamed over the old one, so a web server
    /// following it sees the old site or the new one, never none or half of one. The old
    /// target (empty or made by gazette, [`guard::check`] made sure) is then removed.
    fn switch_link(&self, link: &Path, target: &Path, text: &Path) -> Result<(), Diagnostic> {
        let (name, parent) = name_and_parent(target)?;
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let fresh = format!("{}{VERSION}{stamp:x}", version_base(&name));
        fs::rename(&self.dir, &parent.join(&fresh))?;
        let new_text = match text.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.join(&fresh),
            _ => PathBuf::from(&fresh),
        };
        let (link_name, link_parent) = name_and_parent(link)?;
        let tmp = link_parent.join(format!(".{link_name}.link-{}", std::process::id()));
        let _ = std::fs::remove_file(&tmp);
        std::os::unix::fs::symlink(&new_text, &tmp)
            .map_err(|e| fs::io_error(&tmp, "创建符号链接", e))?;
        if let Err(e) = std::fs::rename(&tmp, link) {
            let _ = std::fs::remove_file(&tmp);
            let _ = std::fs::remove_dir_all(parent.join(&fresh));
            return Err(fs::io_error(link, "切换符号链接", e));
        }
        if std::fs::symlink_metadata(target).is_ok_and(|m| m.is_dir()) {
            let old = parent.join(format!(
                ".{}.old-{}",
                version_base(&name),
                std::process::id()
            ));
            if !self.keep_previous(target) && std::fs::rename(target, &old).is_ok() {
                remove_later(old);
            }
        }
        Ok(())
    }
}

impl Staging {
    /// Moves the site just replaced to where the next build looks for it; `false` if it could
    /// not be moved (the caller removes it).
    fn keep_previous(&self, site: &Path) -> bool {
        if !self.keep {
            return false;
        }
        self.discard_previous() && std::fs::rename(site, &self.previous).is_ok()
    }

    /// Removes the kept site, if any, in the background: renamed first to an `.old-` name,
    /// so that the name is free at once (and a killed removal is finished by the next
    /// build's [`Staging::begin`]). `false` if it is still there.
    fn discard_previous(&self) -> bool {
        if !self.previous.exists() {
            return true;
        }
        let name = self
            .previous
            .file_name()
            .unwrap_or_default()
            .to_string_lossy();
        let gone = self.previous.with_file_name(name.replace(
            &format!(".{PREVIOUS}"),
            &format!(".old-p{}", std::process::id()),
        ));
        if std::fs::rename(&self.previous, &gone).is_err() {
            return false;
        }
        remove_later(gone);
        true
    }
}

/// The name (after `.<output name>.`) of the site kept for the next build to take up.
const PREVIOUS: &str = "previous";

/// Between a linked output's base name and the unique part of each published folder's name:
/// `gazette` → `gazette.gazette-18c3f0a2b4d5e6f7`.
const VERSION: &str = ".gazette-";

/// The name a linked output's versions share: `gazette` for `gazette.gazette-<hex>` (and for
/// `gazette`).
fn version_base(name: &str) -> &str {
    match name.rfind(VERSION) {
        Some(i)
            if i > 0
                && name[i + VERSION.len()..]
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit()) =>
        {
            &name[..i]
        }
        _ => name,
    }
}

/// A path's last component, and the folder holding it (`.` for a bare name).
fn name_and_parent(path: &Path) -> Result<(String, PathBuf), Diagnostic> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| Diagnostic::new(Code::Io, format!("输出路径 `{}` 无效", path.display())))?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((name, parent))
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

/// A full disk fails every page being written at once: thousands of identical errors. Keeps
/// the first, says how much space the site needs (the previous site's size, or what was
/// written before the disk filled, whichever is larger) and how much is free, and drops the
/// rest. Other diagnostics pass through.
pub(crate) fn disk_full_once(
    diags: Vec<Diagnostic>,
    staging: &Path,
    output: &Path,
) -> Vec<Diagnostic> {
    let Some(first) = diags.iter().position(|d| d.code == Code::DiskFull) else {
        return diags;
    };
    let need = size_of(output).max(size_of(staging));
    let free = free_space(staging.parent().unwrap_or(staging));
    let mut out: Vec<Diagnostic> = Vec::with_capacity(diags.len());
    for (i, mut d) in diags.into_iter().enumerate() {
        if d.code != Code::DiskFull {
            out.push(d);
        } else if i == first {
            d.message.push_str(&format!(
                "。网站约需 {}，该磁盘可用 {}",
                megabytes(need),
                free.map_or_else(|| "未知".to_string(), megabytes)
            ));
            d.hint = Some("腾出磁盘空间（或换一个磁盘上的输出文件夹）后重新生成".into());
            out.push(d);
        }
    }
    out
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

/// The bytes of every file under `dir` (0 if it does not exist).
fn size_of(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(std::fs::Metadata::is_file)
        .map(|m| m.len())
        .sum()
}

/// The bytes free to an unprivileged user on the filesystem of `dir`.
fn free_space(dir: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `path` is NUL-terminated and `st` is a valid statvfs to fill.
    let rc = unsafe { libc::statvfs(path.as_ptr(), &mut st) };
    // The field types differ between platforms (u32 or u64, signed or not).
    #[allow(clippy::useless_conversion)]
    let (blocks, size) = (
        u64::try_from(st.f_bavail).ok()?,
        u64::try_from(st.f_frsize).ok()?,
    );
    (rc == 0).then(|| blocks * size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_is_said_once_with_the_space_needed() {
        let dir = tempfile::tempdir().unwrap();
        let staging = dir.path().join(".public.staging-1");
        std::fs::create_dir_all(&staging).unwrap();
        std::fs::write(staging.join("a.html"), vec![b'x'; 3_000_000]).unwrap();
        let full =
            |p: &str| Diagnostic::new(Code::DiskFull, format!("磁盘已满:写入 {p} 时没有空间了"));
        let diags = vec![
            full("a"),
            Diagnostic::new(Code::Template, "模板错误"),
            full("b"),
            full("c"),
        ];
        let got = disk_full_once(diags, &staging, &dir.path().join("public"));
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(
            got[0].message.starts_with("磁盘已满:写入 a"),
            "{}",
            got[0].message
        );
        assert!(
            got[0].message.contains("网站约需 3.0 MB"),
            "{}",
            got[0].message
        );
        assert!(got[0].message.contains("该磁盘可用"), "{}", got[0].message);
        assert_eq!(got[1].code, Code::Template);
    }
}
