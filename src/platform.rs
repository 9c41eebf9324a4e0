//! The operating-system specific calls, in one place: opening files without following
//! links or blocking on FIFOs, a directory held open to open its entries relative to
//! it, finding data past a sparse file's hole, `fstat`, reading into a buffer's spare
//! capacity, early writeback, advisory locks, positioned reads and writes, file
//! stamps (device, inode, change time), file modes, paths as bytes, the thread's CPU
//! clock, read-only mappings, the process environment before threads start and ending
//! the process at once.
//!
//! It is the one module that may use `unsafe` (the crate denies it elsewhere; the SIMD
//! kernels of the detectors are the stated exception), each block with its reasoning.
//!
//! Every function here has the implementation tiergate is tested with (Linux; the
//! `unix` ones also serve macOS, where Linux-only calls have a stated replacement) and
//! a portable one built from the standard library alone for other targets. The
//! portable ones are compiled and unit-tested on Linux too (module [`portable`]), so
//! what other targets run is code the tests have run. The rest of the crate calls
//! `libc` and `std::os::*` only through this module, except tests and two callers that
//! keep the Windows build from compiling until they move here: the gate's index stamp
//! (`app/judge.rs`, [`file_stamp`]) and the manifest reader's positioned reads
//! (`manifest/lookup.rs`, [`read_at`]).
//!
//! Must not import anything of the crate: it sits below every module.
#![allow(unsafe_code)]

use std::borrow::Cow;
use std::ffi::OsStr;
use std::fs::{File, Metadata};
use std::io;
use std::path::Path;

/// Open `path` for reading without following a final symbolic link (refused, see
/// [`is_symlink_refusal`]) and without blocking when it is a FIFO.
pub fn open_nofollow(path: &Path) -> io::Result<File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .open(path)
    }
    #[cfg(not(unix))]
    {
        portable::open_nofollow(path)
    }
}

/// Whether an error of [`open_nofollow`] or [`Dir::open_file`] means the final
/// component is a symbolic link.
pub fn is_symlink_refusal(e: &io::Error) -> bool {
    #[cfg(unix)]
    {
        e.raw_os_error() == Some(libc::ELOOP)
    }
    #[cfg(not(unix))]
    {
        portable::is_symlink_refusal(e)
    }
}

/// A directory held open, to open the files listed in it by name: the kernel resolves
/// one name instead of the whole path.
pub struct Dir {
    #[cfg(unix)]
    fd: std::os::fd::OwnedFd,
    #[cfg(not(unix))]
    path: std::path::PathBuf,
}

impl Dir {
    /// Open the directory at `path` (as bytes; see [`os_str`]). None when it cannot be
    /// opened that way: the caller opens by the whole path instead.
    pub fn open(path: &[u8]) -> Option<Dir> {
        #[cfg(unix)]
        {
            use std::os::fd::FromRawFd;
            let c = std::ffi::CString::new(path).ok()?;
            // Linux opens a directory for lookups only (O_PATH); other systems need it
            // readable.
            #[cfg(any(target_os = "linux", target_os = "android"))]
            let flags = libc::O_PATH | libc::O_DIRECTORY | libc::O_CLOEXEC;
            #[cfg(not(any(target_os = "linux", target_os = "android")))]
            let flags = libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC;
            // SAFETY: a NUL-terminated path; the descriptor returned is owned below.
            let fd = unsafe { libc::open(c.as_ptr(), flags) };
            if fd < 0 {
                return None;
            }
            // SAFETY: `fd` was just opened and is owned by nothing else.
            let fd = unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) };
            Some(Dir { fd })
        }
        #[cfg(not(unix))]
        {
            let path = os_str(path).into_owned().into();
            Some(Dir { path })
        }
    }

    /// The record of the entry `name` (with its terminating NUL) of this directory,
    /// without following a final symlink (`lstat`).
    pub fn stat_at(&self, name: &std::ffi::CStr) -> io::Result<Stat> {
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            let mut st = std::mem::MaybeUninit::<libc::stat>::uninit();
            // SAFETY: a directory descriptor we hold, a NUL-terminated name and a
            // buffer of the size fstatat writes.
            let rc = unsafe {
                libc::fstatat(
                    self.fd.as_raw_fd(),
                    name.as_ptr(),
                    st.as_mut_ptr(),
                    libc::AT_SYMLINK_NOFOLLOW,
                )
            };
            if rc != 0 {
                return Err(io::Error::last_os_error());
            }
            // SAFETY: fstatat succeeded, so it filled the record.
            Ok(stat_of(&unsafe { st.assume_init() }))
        }
        #[cfg(not(unix))]
        {
            let name = os_str(name.to_bytes()).into_owned();
            portable::lstat(&self.path.join(name))
        }
    }

    /// Open the file `name` (with its terminating NUL) of this directory as
    /// [`open_nofollow`] does.
    pub fn open_file(&self, name: &std::ffi::CStr) -> io::Result<File> {
        #[cfg(unix)]
        {
            use std::os::fd::{AsRawFd, FromRawFd};
            // SAFETY: a directory descriptor we hold and a NUL-terminated name.
            let fd = unsafe {
                libc::openat(
                    self.fd.as_raw_fd(),
                    name.as_ptr(),
                    libc::O_RDONLY | libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC,
                )
            };
            if fd < 0 {
                return Err(io::Error::last_os_error());
            }
            // SAFETY: `fd` was just opened and is owned by nothing else.
            Ok(unsafe { File::from_raw_fd(fd) })
        }
        #[cfg(not(unix))]
        {
            let name = os_str(name.to_bytes()).into_owned();
            portable::open_nofollow(&self.path.join(name))
        }
    }
}

/// Where a file's next data is, from an offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextData {
    /// Data starts at this offset (the offset itself when it is in data).
    At(u64),
    /// No data from the offset on: a hole up to the end, or the end itself.
    None,
    /// The file system cannot say.
    Unknown,
}

/// Where the data of `file` continues from `at` (`SEEK_DATA` on Linux). The file's
/// offset is unspecified afterwards: the caller seeks where it reads.
pub fn next_data(file: &File, at: u64) -> NextData {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use std::os::fd::AsRawFd;
        let Ok(at) = i64::try_from(at) else {
            return NextData::Unknown;
        };
        // SAFETY: a descriptor the caller owns; lseek only moves its offset.
        let data = unsafe { libc::lseek(file.as_raw_fd(), at, libc::SEEK_DATA) };
        if data >= 0 {
            NextData::At(data as u64)
        } else if io::Error::last_os_error().raw_os_error() == Some(libc::ENXIO) {
            NextData::None
        } else {
            NextData::Unknown
        }
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    {
        let _ = (file, at);
        NextData::Unknown
    }
}

/// What kind of file an open descriptor refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
    Symlink,
    Fifo,
    Socket,
    Device,
    Other,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::File => "a regular file",
            Kind::Dir => "a directory",
            Kind::Symlink => "a symbolic link",
            Kind::Fifo => "a FIFO",
            Kind::Socket => "a socket",
            Kind::Device => "a device",
            Kind::Other => "not a regular file",
        }
    }
}

/// The kind, size, identity and times of an open file, now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stat {
    pub kind: Kind,
    pub size: u64,
    pub stamp: FileStamp,
}

/// Whether [`FileStamp`]s tell a file's content apart as git's index does: a change
/// time no program can set and an inode number. Elsewhere (where they are the
/// modification time and 0) the scan keeps no results by file stamp.
pub const STAMPS_IDENTIFY: bool = cfg!(unix);

/// `fstat`'s record of `file` (on Linux std's metadata would ask `statx` for the full
/// record).
pub fn stat(file: &File) -> io::Result<Stat> {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        let mut st = std::mem::MaybeUninit::<libc::stat>::uninit();
        // SAFETY: a descriptor the caller owns and a buffer of the size fstat writes.
        if unsafe { libc::fstat(file.as_raw_fd(), st.as_mut_ptr()) } != 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: fstat succeeded, so it filled the record.
        Ok(stat_of(&unsafe { st.assume_init() }))
    }
    #[cfg(not(unix))]
    {
        portable::stat(file)
    }
}

#[cfg(unix)]
fn stat_of(st: &libc::stat) -> Stat {
    let kind = match st.st_mode & libc::S_IFMT {
        libc::S_IFREG => Kind::File,
        libc::S_IFDIR => Kind::Dir,
        libc::S_IFLNK => Kind::Symlink,
        libc::S_IFIFO => Kind::Fifo,
        libc::S_IFSOCK => Kind::Socket,
        libc::S_IFBLK | libc::S_IFCHR => Kind::Device,
        _ => Kind::Other,
    };
    let size = u64::try_from(st.st_size).unwrap_or(0);
    // The casts widen: the field types differ between systems.
    #[allow(clippy::unnecessary_cast, clippy::useless_conversion)]
    let stamp = FileStamp {
        dev: st.st_dev as u64,
        ino: st.st_ino as u64,
        size,
        mtime: st.st_mtime as i64,
        mtime_nsec: st.st_mtime_nsec as i64,
        ctime: st.st_ctime as i64,
        ctime_nsec: st.st_ctime_nsec as i64,
    };
    Stat { kind, size, stamp }
}

/// Read at most `ask` bytes of `file` from its offset onto the end of `buf`, without
/// zeroing the space first; the number read (0 at the end). An interrupted read is an
/// error of kind `Interrupted`, for the caller to retry.
pub fn read_append(file: &File, buf: &mut Vec<u8>, ask: usize) -> io::Result<usize> {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        buf.reserve(ask);
        let len = buf.len();
        let spare = &mut buf.spare_capacity_mut()[..ask];
        // SAFETY: reads at most `ask` bytes into the vector's spare capacity.
        let n = unsafe { libc::read(file.as_raw_fd(), spare.as_mut_ptr().cast(), ask) };
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        let n = n as usize;
        // SAFETY: the kernel initialized `n` more bytes.
        unsafe { buf.set_len(len + n) };
        Ok(n)
    }
    #[cfg(not(unix))]
    {
        portable::read_append(file, buf, ask)
    }
}

/// Start writing back `len` bytes at `offset` that were just written, so the final
/// sync of a large file does not wait for all of it at once. Only a hint: Linux has
/// the call, elsewhere nothing happens, and a failure is not reported (the sync that
/// ends the write reports what matters).
pub fn start_writeback(file: &File, offset: u64, len: u64) {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use std::os::fd::AsRawFd;
        let (Ok(offset), Ok(len)) = (i64::try_from(offset), i64::try_from(len)) else {
            return;
        };
        // SAFETY: a descriptor the caller holds; the call only starts writeback of a
        // range already written.
        unsafe {
            libc::sync_file_range(file.as_raw_fd(), offset, len, libc::SYNC_FILE_RANGE_WRITE)
        };
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    {
        let _ = (file, offset, len);
    }
}

/// Take an exclusive advisory lock on `file`, waiting for it (`flock` on Unix).
pub fn lock_exclusive(file: &File) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: flock on a descriptor the caller owns.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        portable::lock_exclusive(file)
    }
}

/// Release the lock [`lock_exclusive`] took.
pub fn unlock(file: &File) {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: as above; unlocking cannot violate memory safety.
        unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_UN) };
    }
    #[cfg(not(unix))]
    {
        portable::unlock(file)
    }
}

/// Read at most `buf.len()` bytes of `file` at `offset` (0 at the end), leaving the
/// file's own offset alone on Unix.
pub fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_at(file, buf, offset)
    }
    #[cfg(not(unix))]
    {
        portable::read_at(file, buf, offset)
    }
}

/// Fill `buf` from `file` at `offset`, leaving the file's own offset alone on Unix.
pub fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
    }
    #[cfg(not(unix))]
    {
        portable::read_exact_at(file, buf, offset)
    }
}

/// Write all of `buf` to `file` at `offset`.
pub fn write_all_at(file: &File, buf: &[u8], offset: u64) -> io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::write_all_at(file, buf, offset)
    }
    #[cfg(not(unix))]
    {
        portable::write_all_at(file, buf, offset)
    }
}

/// The identity and times of a file, as far as the system tells them. Where a field
/// does not exist (device, inode and change time on Windows) it is 0, or the
/// modification time for the change time: comparisons then rest on size and mtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    pub dev: u64,
    pub ino: u64,
    pub size: u64,
    pub mtime: i64,
    pub mtime_nsec: i64,
    pub ctime: i64,
    pub ctime_nsec: i64,
}

pub fn file_stamp(meta: &Metadata) -> FileStamp {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        FileStamp {
            dev: meta.dev(),
            ino: meta.ino(),
            size: meta.size(),
            mtime: meta.mtime(),
            mtime_nsec: meta.mtime_nsec(),
            ctime: meta.ctime(),
            ctime_nsec: meta.ctime_nsec(),
        }
    }
    #[cfg(not(unix))]
    {
        portable::file_stamp(meta)
    }
}

/// The permission bits of `meta` (0o644 where the system has none).
pub fn mode(meta: &Metadata) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode() & 0o7777
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        0o644
    }
}

/// Give `file` the permission bits `mode` (nothing where the system has none).
pub fn set_mode(file: &File, mode: u32) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(mode))
    }
    #[cfg(not(unix))]
    {
        let _ = (file, mode);
        Ok(())
    }
}

/// Create `path` for writing, failing if it exists, readable by its owner alone
/// (mode 0600 on Unix; elsewhere the directory's access rules apply).
pub fn create_private(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// A path from the bytes git and the walk know it by. On Unix the bytes are the name;
/// elsewhere names are Unicode and the bytes UTF-8 (a byte that is not becomes U+FFFD).
/// The other way is `OsStr::as_encoded_bytes`, the same bytes on Unix.
pub fn os_str(bytes: &[u8]) -> Cow<'_, OsStr> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Cow::Borrowed(OsStr::from_bytes(bytes))
    }
    #[cfg(not(unix))]
    {
        portable::os_str(bytes)
    }
}

/// [`os_str`] as a path.
pub fn os_path(bytes: &[u8]) -> Cow<'_, Path> {
    match os_str(bytes) {
        Cow::Borrowed(s) => Cow::Borrowed(Path::new(s)),
        Cow::Owned(s) => Cow::Owned(s.into()),
    }
}

/// CPU time of the calling thread, in seconds (None where the system has no such
/// clock): benchmarks on a shared machine measure their own work with it.
pub fn thread_cpu_seconds() -> Option<f64> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `ts` is a valid, writable timespec.
        let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
        (rc == 0).then(|| ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9)
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    {
        None
    }
}

/// End the process now with `code`, running no exit handlers (the caller has flushed
/// what it wrote). Where that is not available, the ordinary exit.
pub fn exit_now(code: u8) -> ! {
    #[cfg(unix)]
    {
        // SAFETY: `_exit` ends the process at once; nothing runs after it.
        unsafe { libc::_exit(i32::from(code)) }
    }
    #[cfg(not(unix))]
    {
        std::process::exit(i32::from(code))
    }
}

/// The standard-library implementations used on targets other than Unix. Compiled
/// everywhere, so the tests below run them on Linux.
/// A read-only private mapping of the whole of `file`, its pages read in up front.
/// Another program truncating the file under the mapping makes this process fault (it
/// stops, and a gate that stops fails); tiergate replaces its own files by renaming a
/// new file over them, which leaves a mapping's pages as they were.
pub fn map_readonly(file: &File) -> io::Result<memmap2::Mmap> {
    // SAFETY: a private read-only mapping; a concurrent truncation is described above.
    unsafe { memmap2::MmapOptions::new().populate().map(file) }
}

/// A mapped file checked to be UTF-8 once, then read as text without checking again.
pub struct MappedText(memmap2::Mmap);

impl MappedText {
    /// The mapping as text, or the mapping back when it is not UTF-8.
    pub fn new(map: memmap2::Mmap) -> Result<MappedText, memmap2::Mmap> {
        if simdutf8::basic::from_utf8(&map).is_ok() {
            Ok(MappedText(map))
        } else {
            Err(map)
        }
    }

    pub fn as_str(&self) -> &str {
        // SAFETY: checked to be UTF-8 in `new`; the mapping is private and read-only
        // (see `map_readonly`), so the bytes checked are the bytes read.
        unsafe { std::str::from_utf8_unchecked(&self.0) }
    }
}

/// Turn off the standard library's library backtraces unless the user asks for them
/// (`RUST_LIB_BACKTRACE`). tiergate reports errors by their messages, never with a
/// backtrace, yet with `RUST_BACKTRACE` set every error value made captures one, and
/// the policy parser makes and discards one at each point where it tries one reading of
/// the text and then another: 15 ms of a scan's start on the shipped packs. The
/// standard library reads the setting once, at the first capture; the variable is
/// removed again so that child processes see the environment as it was. Panics keep
/// `RUST_BACKTRACE`. Call first thing in `main`, before any thread exists.
pub fn library_backtraces_off() {
    if std::env::var_os("RUST_LIB_BACKTRACE").is_some() {
        return;
    }
    // SAFETY: called before any other thread exists, so none reads the environment
    // meanwhile.
    unsafe { std::env::set_var("RUST_LIB_BACKTRACE", "0") };
    let _ = std::backtrace::Backtrace::capture();
    // SAFETY: as above.
    unsafe { std::env::remove_var("RUST_LIB_BACKTRACE") };
}

#[cfg_attr(unix, allow(dead_code))]
mod portable {
    use super::{Cow, File, FileStamp, Kind, Metadata, OsStr, Path, Stat, io};
    use std::io::{Read, Seek, SeekFrom, Write};

    const SYMLINK_REFUSED: &str = "the final component is a symbolic link (not followed)";

    pub fn open_nofollow(path: &Path) -> io::Result<File> {
        // The check and the open are two steps: a link swapped in between is
        // followed. Systems without O_NOFOLLOW offer no better with std alone.
        if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, SYMLINK_REFUSED));
        }
        File::open(path)
    }

    pub fn is_symlink_refusal(e: &io::Error) -> bool {
        e.kind() == io::ErrorKind::InvalidInput
            && e.get_ref()
                .is_some_and(|inner| inner.to_string() == SYMLINK_REFUSED)
    }

    pub fn stat(file: &File) -> io::Result<Stat> {
        stat_of(&file.metadata()?)
    }

    pub fn lstat(path: &Path) -> io::Result<Stat> {
        stat_of(&std::fs::symlink_metadata(path)?)
    }

    fn stat_of(m: &Metadata) -> io::Result<Stat> {
        let t = m.file_type();
        let kind = if t.is_file() {
            Kind::File
        } else if t.is_dir() {
            Kind::Dir
        } else if t.is_symlink() {
            Kind::Symlink
        } else {
            Kind::Other
        };
        Ok(Stat {
            kind,
            size: m.len(),
            stamp: file_stamp(m),
        })
    }

    pub fn read_append(file: &File, buf: &mut Vec<u8>, ask: usize) -> io::Result<usize> {
        let len = buf.len();
        buf.resize(len + ask, 0);
        let read = (&*file).read(&mut buf[len..]);
        let n = *read.as_ref().unwrap_or(&0);
        buf.truncate(len + n);
        read
    }

    // `File::lock` is in the standard library from Rust 1.89 (the crate's minimum is
    // 1.88 for Unix builds, which use `flock`).
    #[allow(clippy::incompatible_msrv)]
    pub fn lock_exclusive(file: &File) -> io::Result<()> {
        file.lock()
    }

    #[allow(clippy::incompatible_msrv)]
    pub fn unlock(file: &File) {
        let _ = file.unlock();
    }

    // Positioned access through the file's own offset: correct for callers that do
    // not share the handle while it runs, which holds for every caller here.
    pub fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
        let mut f = file;
        f.seek(SeekFrom::Start(offset))?;
        f.read_exact(buf)
    }

    pub fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        let mut f = file;
        f.seek(SeekFrom::Start(offset))?;
        f.read(buf)
    }

    pub fn write_all_at(file: &File, buf: &[u8], offset: u64) -> io::Result<()> {
        let mut f = file;
        f.seek(SeekFrom::Start(offset))?;
        f.write_all(buf)
    }

    pub fn file_stamp(meta: &Metadata) -> FileStamp {
        let (mtime, mtime_nsec) = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or((0, 0), |d| {
                (
                    i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
                    i64::from(d.subsec_nanos()),
                )
            });
        FileStamp {
            dev: 0,
            ino: 0,
            size: meta.len(),
            mtime,
            mtime_nsec,
            ctime: mtime,
            ctime_nsec: mtime_nsec,
        }
    }

    pub fn os_str(bytes: &[u8]) -> Cow<'_, OsStr> {
        match String::from_utf8_lossy(bytes) {
            Cow::Borrowed(s) => Cow::Borrowed(OsStr::new(s)),
            Cow::Owned(s) => Cow::Owned(s.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each portable implementation against the one Linux uses.
    #[test]
    fn the_portable_implementations_agree_with_the_native_ones() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        std::fs::write(&p, b"hello, world").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&p, &link).unwrap();

        // Opening: a link is refused by both, and both errors say so.
        let native = open_nofollow(&link).unwrap_err();
        let port = portable::open_nofollow(&link).unwrap_err();
        assert!(is_symlink_refusal(&native), "{native}");
        assert!(portable::is_symlink_refusal(&port), "{port}");
        assert!(!portable::is_symlink_refusal(&native));
        let f = portable::open_nofollow(&p).unwrap();

        // Kind and size.
        let (native, other) = (stat(&f).unwrap(), portable::stat(&f).unwrap());
        assert_eq!((native.kind, native.size), (other.kind, other.size));
        assert_eq!(
            (native.stamp.mtime, native.stamp.mtime_nsec),
            (other.stamp.mtime, other.stamp.mtime_nsec)
        );
        let d = File::open(dir.path()).unwrap();
        assert_eq!(stat(&d).unwrap().kind, Kind::Dir);
        assert_eq!(portable::stat(&d).unwrap().kind, Kind::Dir);

        // Reading onto a buffer, in pieces.
        for read in [read_append, portable::read_append] {
            let f = File::open(&p).unwrap();
            let mut buf = b">".to_vec();
            assert_eq!(read(&f, &mut buf, 5).unwrap(), 5);
            assert_eq!(read(&f, &mut buf, 100).unwrap(), 7);
            assert_eq!(read(&f, &mut buf, 100).unwrap(), 0);
            assert_eq!(buf, b">hello, world");
        }

        // Positioned reads and writes.
        let rw = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&p)
            .unwrap();
        portable::write_all_at(&rw, b"W", 7).unwrap();
        let mut a = [0; 5];
        let mut b = [0; 5];
        read_exact_at(&rw, &mut a, 7).unwrap();
        portable::read_exact_at(&rw, &mut b, 7).unwrap();
        assert_eq!((&a, &b), (b"World", b"World"));
        assert!(portable::read_exact_at(&rw, &mut [0; 9], 7).is_err());
        let (mut a, mut b) = ([0; 9], [0; 9]);
        assert_eq!(read_at(&rw, &mut a, 7).unwrap(), 5);
        assert_eq!(portable::read_at(&rw, &mut b, 7).unwrap(), 5);
        assert_eq!(a, b);
        assert_eq!(portable::read_at(&rw, &mut b, 12).unwrap(), 0);

        // Stamps: size and modification time agree (the rest does not exist there).
        let m = std::fs::metadata(&p).unwrap();
        let (n, q) = (file_stamp(&m), portable::file_stamp(&m));
        assert_eq!(
            (n.size, n.mtime, n.mtime_nsec),
            (q.size, q.mtime, q.mtime_nsec)
        );

        // Locks: a second handle cannot take the lock while the first holds it.
        let first = File::open(&p).unwrap();
        let second = File::open(&p).unwrap();
        portable::lock_exclusive(&first).unwrap();
        #[allow(clippy::incompatible_msrv)]
        let busy = second.try_lock();
        assert!(busy.is_err(), "the lock is held");
        portable::unlock(&first);
        lock_exclusive(&second).unwrap();
        unlock(&second);

        // Names: UTF-8 bytes are the same name everywhere.
        assert_eq!(
            portable::os_str("é.txt".as_bytes()),
            os_str("é.txt".as_bytes())
        );
        assert_eq!(portable::os_str(b"a\xffb"), OsStr::new("a\u{fffd}b"));
    }

    #[test]
    fn a_directory_opens_its_files_by_name_without_following_links() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("f"), b"x").unwrap();
        std::os::unix::fs::symlink("f", dir.path().join("l")).unwrap();
        let d = Dir::open(dir.path().as_os_str().as_encoded_bytes()).unwrap();
        let mut s = String::new();
        use std::io::Read;
        d.open_file(c"f").unwrap().read_to_string(&mut s).unwrap();
        assert_eq!(s, "x");
        assert!(is_symlink_refusal(&d.open_file(c"l").unwrap_err()));
        assert!(Dir::open(b"/nonexistent/dir").is_none());
    }

    #[test]
    fn the_thread_clock_runs() {
        let t = thread_cpu_seconds().unwrap();
        let mut x = 0u64;
        for i in 0..2_000_000u64 {
            x = x.wrapping_mul(31).wrapping_add(i);
        }
        std::hint::black_box(x);
        assert!(thread_cpu_seconds().unwrap() > t);
    }
}
