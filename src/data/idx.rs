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

/// Parses `bytes` (gzip-compressed or raw) as an IDX file of `kind`; `file` names it in errors.
pub fn parse(file: &str, bytes: &[u8], kind: IdxKind) -> Result<Idx, DataError> {
    let file = file.to_string();
    if bytes.is_empty() {
        return Err(DataError::Empty { file });
    }
    if bytes.starts_with(&GZIP_MAGIC) {
        // Multi-member: concatenated gzip members are one valid file, and junk after the last
        // member is an error rather than silently ignored.
        let mut decoder = flate2::read::MultiGzDecoder::new(bytes);
        read_idx(&file, &mut decoder, kind, true)
    } else if file.ends_with(".gz") {
        Err(DataError::NotGzip { file })
    } else {
        read_idx(&file, &mut &bytes[..], kind, false)
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
