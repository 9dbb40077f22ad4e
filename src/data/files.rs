//! The four files of an MNIST-style data set under the names people actually have: as
//! published (`train-images-idx3-ubyte.gz`), unpacked (no `.gz`), or with a dot where the
//! dash was (`train-images.idx3-ubyte`, as archives unpacked on Windows often give them).
//! This is the one list of those names; loading a directory looks for each of them.

/// One of the four files of an MNIST-style data set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataFile {
    TrainImages,
    TrainLabels,
    TestImages,
    TestLabels,
}

impl DataFile {
    pub const ALL: [DataFile; 4] =
        [DataFile::TrainImages, DataFile::TrainLabels, DataFile::TestImages, DataFile::TestLabels];

    /// Every accepted name, the published one first; a directory's files match them in any
    /// letter case. The content, not the name, says whether a file is gzip-compressed.
    pub fn spellings(self) -> [&'static str; 4] {
        match self {
            DataFile::TrainImages => [
                "train-images-idx3-ubyte.gz",
                "train-images-idx3-ubyte",
                "train-images.idx3-ubyte.gz",
                "train-images.idx3-ubyte",
            ],
            DataFile::TrainLabels => [
                "train-labels-idx1-ubyte.gz",
                "train-labels-idx1-ubyte",
                "train-labels.idx1-ubyte.gz",
                "train-labels.idx1-ubyte",
            ],
            DataFile::TestImages => [
                "t10k-images-idx3-ubyte.gz",
                "t10k-images-idx3-ubyte",
                "t10k-images.idx3-ubyte.gz",
                "t10k-images.idx3-ubyte",
            ],
            DataFile::TestLabels => [
                "t10k-labels-idx1-ubyte.gz",
                "t10k-labels-idx1-ubyte",
                "t10k-labels.idx1-ubyte.gz",
                "t10k-labels.idx1-ubyte",
            ],
        }
    }

    /// The name the data set is published under, e.g. `train-images-idx3-ubyte.gz`.
    pub fn name(self) -> &'static str {
        self.spellings()[0]
    }

    /// What the file holds, for messages: "training images".
    pub fn what(self) -> &'static str {
        match self {
            DataFile::TrainImages => "training images",
            DataFile::TrainLabels => "training labels",
            DataFile::TestImages => "test images",
            DataFile::TestLabels => "test labels",
        }
    }

    /// The entry of `names` this file is: the first spelling present exactly, else the first
    /// present in another letter case.
    pub fn find_in(self, names: &[String]) -> Option<&str> {
        let spellings = self.spellings();
        let exact = spellings.iter().find_map(|s| names.iter().find(|n| n == s));
        exact
            .or_else(|| spellings.iter().find_map(|s| names.iter().find(|n| n.eq_ignore_ascii_case(s))))
            .map(String::as_str)
    }
}

/// Loads the four files from `dir`, each under any of its [`DataFile::spellings`],
/// gzip-compressed or raw.
///
/// # Errors
/// [`DataError::NoDirectory`](super::DataError::NoDirectory) if `dir` cannot be listed;
/// [`FileNotFound`](super::DataError::FileNotFound) naming `dir` and every name looked for;
/// [`Io`](super::DataError::Io) if a file cannot be read; else what
/// [`Dataset::from_idx`](super::Dataset::from_idx) finds wrong with a file.
#[cfg(not(target_arch = "wasm32"))]
pub fn load_dir(dir: &std::path::Path) -> Result<super::TrainTest, super::DataError> {
    use super::{DataError, Dataset, TrainTest};
    let shown = dir.display().to_string();
    let entries =
        std::fs::read_dir(dir).map_err(|e| DataError::NoDirectory { dir: shown.clone(), detail: e.to_string() })?;
    // Names that are not UTF-8 cannot be one of the spellings.
    let names: Vec<String> = entries.filter_map(|e| e.ok()?.file_name().into_string().ok()).collect();
    let read = |file: DataFile| -> Result<(String, Vec<u8>), DataError> {
        let name = file.find_in(&names).ok_or_else(|| DataError::FileNotFound {
            dir: shown.clone(),
            what: file.what(),
            looked_for: file.spellings().to_vec(),
        })?;
        let path = dir.join(name).display().to_string();
        match std::fs::read(&path) {
            Ok(bytes) => Ok((path, bytes)),
            Err(e) => Err(DataError::Io { file: path, detail: e.to_string() }),
        }
    };
    let pair = |images: DataFile, labels: DataFile| -> Result<Dataset, DataError> {
        let (i_name, i_bytes) = read(images)?;
        let (l_name, l_bytes) = read(labels)?;
        Dataset::from_idx(&i_name, &i_bytes, &l_name, &l_bytes)
    };
    Ok(TrainTest {
        train: pair(DataFile::TrainImages, DataFile::TrainLabels)?,
        test: pair(DataFile::TestImages, DataFile::TestLabels)?,
    })
}
