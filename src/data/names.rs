//! The four files of an MNIST-style data set under the names people actually have: as
//! published (`train-images-idx3-ubyte.gz`), unpacked (no `.gz`), or with a dot where the
//! dash was (`train-images.idx3-ubyte`, as archives unpacked on Windows often give them),
//! and where the Debian package puts Fashion-MNIST. This is the one list of those facts: the
//! crate loads directories with it, the page fetches by it (the catalog), and `xtask` compiles
//! this same file to stage the site. It depends on nothing.

/// Where the Debian package `dataset-fashion-mnist` puts the files.
pub const DEFAULT_DIR: &str = "/usr/share/datasets/fashion-mnist";

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
