//! The data set: IDX parsing (`idx`), the four files' names (`names`) and loading a
//! directory (`files`), the in-memory `Dataset`, and the seeded split and batch order (`split`).

#[cfg(not(target_arch = "wasm32"))]
pub mod files;
pub mod idx;
pub mod names;
pub mod split;

#[cfg(not(target_arch = "wasm32"))]
pub use files::load_dir;
use idx::IdxKind;
pub use names::{DEFAULT_DIR, DataFile};

pub const FASHION_CLASSES: [&str; 10] =
    ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

/// The lesson's network takes 28×28 images.
pub const IMAGE_SIDE: usize = 28;
pub const CLASSES: usize = 10;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DataError {
    #[error("{file}: the file is empty")]
    Empty { file: String },
    #[error(
        "{file}: not gzip data and not an IDX header: expected gzip's magic bytes 1f 8b or the IDX magic \
         {} of {what}; the file starts with {}",
        hex(&expected.to_be_bytes()),
        hex(head)
    )]
    NotIdxOrGzip { file: String, expected: u32, what: &'static str, head: Vec<u8> },
    #[error("{file}: corrupt gzip data: {detail}")]
    CorruptGzip { file: String, detail: String },
    #[error("{file}: could not be read: {detail}")]
    Io { file: String, detail: String },
    #[error("{file}: the IDX header is cut short: expected {expected} bytes, the file has {found}")]
    TruncatedHeader { file: String, expected: usize, found: usize },
    #[error("{file}: wrong magic number 0x{found:08X} ({}), expected 0x{expected:08X} for {what}", describe_magic(*found))]
    WrongMagic { file: String, found: u32, expected: u32, what: &'static str },
    #[error("{file}: images are {rows}×{cols} pixels, the network takes {IMAGE_SIDE}×{IMAGE_SIDE}")]
    WrongImageSize { file: String, rows: usize, cols: usize },
    #[error("{file}: the header's dimensions {dims:?} would need more than {limit} bytes")]
    TooLarge { file: String, dims: Vec<usize>, limit: usize },
    #[error("{file}: truncated: the header's dimensions {dims:?} need {expected} bytes of data, the file has {found}")]
    TruncatedBody { file: String, dims: Vec<usize>, expected: usize, found: usize },
    #[error("{file}: {extra} bytes more than the header's dimensions {dims:?} account for ({expected} bytes)")]
    TrailingBytes { file: String, dims: Vec<usize>, expected: usize, extra: usize },
    #[error("{images} has {image_count} images but {labels} has {label_count} labels")]
    CountMismatch { images: String, image_count: usize, labels: String, label_count: usize },
    #[error("{file}: label {label} at index {index} is not a class (expected 0–{})", CLASSES - 1)]
    LabelOutOfRange { file: String, index: usize, label: u8 },
    #[error("{file}: the file has no images")]
    NoImages { file: String },
    #[error("{dir}: cannot read the data directory: {detail}")]
    NoDirectory { dir: String, detail: String },
    #[error("{dir}: no {what} file; looked for {} (in any letter case)", looked_for.join(", "))]
    FileNotFound { dir: String, what: &'static str, looked_for: Vec<&'static str> },
}

/// Bytes as lowercase hex pairs: `1f 8b 08`.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" ")
}

/// What an unexpected magic number says about the file, for the error message.
fn describe_magic(magic: u32) -> String {
    let [zero_a, zero_b, ty, rank] = magic.to_be_bytes();
    if [zero_a, zero_b] == [0x1f, 0x8b] {
        return "a gzip header inside the data: compressed twice?".into();
    }
    let ty = match ty {
        0x08 => "unsigned byte",
        0x09 => "signed byte",
        0x0B => "short",
        0x0C => "int",
        0x0D => "float",
        0x0E => "double",
        _ => return "not an IDX header".into(),
    };
    if zero_a != 0 || zero_b != 0 {
        return "not an IDX header".into();
    }
    format!("{ty} data of rank {rank}")
}

/// Images as bytes (row-major, one after another) with their class labels.
#[derive(Clone, Debug)]
pub struct Dataset {
    pub pixels: Vec<u8>,
    pub labels: Vec<u8>,
    pub rows: usize,
    pub cols: usize,
}

impl Dataset {
    /// Parses an image file and its label file (each gzip-compressed or raw IDX); the names
    /// are only used in error messages.
    pub fn from_idx(images_name: &str, images: &[u8], labels_name: &str, labels: &[u8]) -> Result<Dataset, DataError> {
        let imgs = idx::parse(images_name, images, IdxKind::Images)?;
        let (count, rows, cols) = (imgs.dims[0], imgs.dims[1], imgs.dims[2]);
        if (rows, cols) != (IMAGE_SIDE, IMAGE_SIDE) {
            return Err(DataError::WrongImageSize { file: images_name.into(), rows, cols });
        }
        if count == 0 {
            return Err(DataError::NoImages { file: images_name.into() });
        }
        let labs = idx::parse(labels_name, labels, IdxKind::Labels)?;
        if labs.dims[0] != count {
            return Err(DataError::CountMismatch {
                images: images_name.into(),
                image_count: count,
                labels: labels_name.into(),
                label_count: labs.dims[0],
            });
        }
        if let Some((index, &label)) = labs.body.iter().enumerate().find(|&(_, &l)| l as usize >= CLASSES) {
            return Err(DataError::LabelOutOfRange { file: labels_name.into(), index, label });
        }
        Ok(Dataset { pixels: imgs.body, labels: labs.body, rows, cols })
    }

    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    pub fn pixels_per_image(&self) -> usize {
        self.rows * self.cols
    }

    pub fn image(&self, i: usize) -> &[u8] {
        let n = self.pixels_per_image();
        &self.pixels[i * n..(i + 1) * n]
    }

    /// Of `candidates` (image indices, in their order), the first `per_class` of each class,
    /// in the same order: the sample strip's images and the prediction gallery's.
    pub fn first_of_each_class(&self, candidates: impl IntoIterator<Item = usize>, per_class: usize) -> Vec<usize> {
        let mut taken = [0usize; CLASSES];
        candidates
            .into_iter()
            .filter(|&i| {
                let count = &mut taken[self.labels[i] as usize % CLASSES];
                *count += 1;
                *count <= per_class
            })
            .take(per_class * CLASSES)
            .collect()
    }
}

/// The training and test sets of an MNIST-style directory.
#[derive(Clone, Debug)]
pub struct TrainTest {
    pub train: Dataset,
    pub test: Dataset,
}

/// The data directory: the given one, else `$FASHION_MNIST_DIR`, else the Debian package's.
#[cfg(not(target_arch = "wasm32"))]
pub fn resolve_dir(given: Option<&std::path::Path>) -> std::path::PathBuf {
    given
        .map(std::path::Path::to_path_buf)
        .or_else(|| std::env::var_os("FASHION_MNIST_DIR").map(Into::into))
        .unwrap_or_else(|| DEFAULT_DIR.into())
}
