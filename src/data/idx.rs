//! IDX files (the MNIST family's format), gzip-compressed or raw, parsed from bytes with an
//! error for every way a file can be wrong. The header is read before anything is allocated,
//! and the body is checked against it, so neither a huge header count nor a gzip bomb can
//! exhaust memory.

use std::io::Read;

use super::DataError;

/// The two kinds of IDX file the lab reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdxKind {
    /// Magic `0x00000803`: unsigned bytes, rank 3 (count × rows × cols).
    Images,
    /// Magic `0x00000801`: unsigned bytes, rank 1 (count).
    Labels,
}

impl IdxKind {
    pub fn magic(self) -> u32 {
        match self {
            IdxKind::Images => 0x0000_0803,
            IdxKind::Labels => 0x0000_0801,
        }
    }

    fn rank(self) -> usize {
        match self {
            IdxKind::Images => 3,
            IdxKind::Labels => 1,
        }
    }

    fn what(self) -> &'static str {
        match self {
            IdxKind::Images => "an IDX image file",
            IdxKind::Labels => "an IDX label file",
        }
    }
}

/// A parsed IDX file: its dimensions (count first) and its body bytes.
#[derive(Debug)]
pub struct Idx {
    pub dims: Vec<usize>,
    pub body: Vec<u8>,
}

/// The largest body the lab will allocate (EMNIST's biggest split is ~550 MB).
pub const MAX_BODY_BYTES: usize = 1 << 30;

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Parses `bytes` as an IDX file of `kind`, gzip-compressed or raw as the bytes say (the
/// gzip magic `1f 8b`, or an IDX magic's leading `00 00`), never as the name says: a browser
/// hands over a server's `Content-Encoding: gzip` file already decompressed under its `.gz`
/// name. `file` names it in errors. Gzip data may be several members and may be followed by
/// zero padding, as GNU gzip and Python's gzip accept.
///
/// # Errors
/// A [`DataError`] naming `file`: empty; neither gzip nor IDX (with the first bytes); corrupt
/// or cut-short gzip data, or junk after it; a wrong magic; a header or body cut short; a
/// header whose dimensions exceed [`MAX_BODY_BYTES`]; bytes beyond the header's dimensions.
pub fn parse(file: &str, bytes: &[u8], kind: IdxKind) -> Result<Idx, DataError> {
    let file = file.to_string();
    if bytes.is_empty() {
        return Err(DataError::Empty { file });
    }
    if bytes.starts_with(&GZIP_MAGIC) {
        read_idx(&file, &mut GzipMembers::new(bytes), kind, true)
    } else if bytes.iter().take(2).all(|&b| b == 0) {
        read_idx(&file, &mut &bytes[..], kind, false)
    } else {
        let head = bytes[..bytes.len().min(HEAD_SHOWN)].to_vec();
        Err(DataError::NotIdxOrGzip { file, expected: kind.magic(), what: kind.what(), head })
    }
}

/// How many of a file's first bytes an error shows.
const HEAD_SHOWN: usize = 8;

/// A gzip file read the way GNU gzip and Python's gzip read it: one member or several
/// concatenated (one file), then optionally zero bytes of padding (as tape archives and
/// some servers leave). Anything else after a member is an error, not silently dropped.
struct GzipMembers<'a> {
    member: flate2::bufread::GzDecoder<&'a [u8]>,
    /// The whole file's length, to say where junk starts.
    len: usize,
}

impl<'a> GzipMembers<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        GzipMembers { member: flate2::bufread::GzDecoder::new(bytes), len: bytes.len() }
    }
}

impl Read for GzipMembers<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            let n = self.member.read(buf)?;
            if n > 0 {
                return Ok(n);
            }
            // The member ended (its checksum verified); the decoder has read exactly its bytes.
            let rest: &[u8] = self.member.get_ref();
            let next = &rest[rest.iter().take_while(|&&b| b == 0).count()..];
            if next.is_empty() {
                return Ok(0);
            }
            if !next.starts_with(&GZIP_MAGIC) {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "{} bytes after the end of the gzip stream (from byte {}) are neither another gzip \
                         member nor zero padding",
                        next.len(),
                        self.len - next.len()
                    ),
                ));
            }
            self.member = flate2::bufread::GzDecoder::new(next);
        }
    }
}

fn read_idx(file: &str, r: &mut dyn Read, kind: IdxKind, gz: bool) -> Result<Idx, DataError> {
    let io_err = |e: std::io::Error| {
        if gz {
            DataError::CorruptGzip { file: file.to_string(), detail: e.to_string() }
        } else {
            DataError::Io { file: file.to_string(), detail: e.to_string() }
        }
    };
    let mut magic = [0u8; 4];
    let got = read_full(r, &mut magic).map_err(io_err)?;
    if got == 0 {
        return Err(DataError::Empty { file: file.to_string() });
    }
    if got < 4 {
        return Err(DataError::TruncatedHeader { file: file.to_string(), expected: 4, found: got });
    }
    let magic = u32::from_be_bytes(magic);
    if magic != kind.magic() {
        return Err(DataError::WrongMagic {
            file: file.to_string(),
            found: magic,
            expected: kind.magic(),
            what: kind.what(),
        });
    }
    let rank = kind.rank();
    let mut header = vec![0u8; 4 * rank];
    let got = read_full(r, &mut header).map_err(io_err)?;
    if got < header.len() {
        return Err(DataError::TruncatedHeader { file: file.to_string(), expected: 4 + header.len(), found: 4 + got });
    }
    let dims: Vec<usize> = header.chunks(4).map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]) as usize).collect();
    let body_len = dims.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d));
    let body_len = match body_len {
        Some(n) if n <= MAX_BODY_BYTES => n,
        _ => {
            return Err(DataError::TooLarge { file: file.to_string(), dims, limit: MAX_BODY_BYTES });
        }
    };
    let mut body = Vec::new();
    let got = r.take(body_len as u64).read_to_end(&mut body).map_err(io_err)?;
    if got < body_len {
        return Err(DataError::TruncatedBody { file: file.to_string(), dims, expected: body_len, found: got });
    }
    let mut extra = [0u8; 1];
    if read_full(r, &mut extra).map_err(io_err)? > 0 {
        let mut rest = 1;
        rest += std::io::copy(&mut r.take(MAX_BODY_BYTES as u64), &mut std::io::sink()).map_err(io_err)? as usize;
        return Err(DataError::TrailingBytes { file: file.to_string(), dims, expected: body_len, extra: rest });
    }
    Ok(Idx { dims, body })
}

/// Reads until `buf` is full or the stream ends; returns how many bytes were read.
fn read_full(r: &mut dyn Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}
