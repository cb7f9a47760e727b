//! Filesystem calls that name their path in every error (Zola's IO errors without file names
//! were a long-standing complaint; ours say which file and what we were doing).

use std::path::Path;

use crate::diag::{Code, Diagnostic};

pub(crate) fn io_error(path: &Path, doing: &str, e: std::io::Error) -> Diagnostic {
    if e.kind() == std::io::ErrorKind::StorageFull {
        return Diagnostic::new(
            Code::DiskFull,
            format!("磁盘已满：{doing} {} 时没有空间了", path.display()),
        );
    }
    Diagnostic::new(Code::Io, format!("{doing}失败：{}:{e}", path.display()))
}

pub(crate) fn create_dir_all(path: &Path) -> Result<(), Diagnostic> {
    std::fs::create_dir_all(path).map_err(|e| io_error(path, "创建文件夹", e))
}

/// Writes `bytes` to `path`, creating parent folders.
pub(crate) fn write(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    std::fs::write(path, bytes).map_err(|e| io_error(path, "写入", e))
}

pub(crate) fn rename(from: &Path, to: &Path) -> Result<(), Diagnostic> {
    std::fs::rename(from, to).map_err(|e| io_error(to, "替换", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_is_its_own_code_naming_the_path() {
        // `/dev/full` answers every write with ENOSPC, as a full disk does.
        let d = write(Path::new("/dev/full"), b"x").unwrap_err();
        assert_eq!(d.code, Code::DiskFull);
        assert!(d.message.contains("/dev/full"), "{}", d.message);
    }
}
