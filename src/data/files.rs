//! Loading a directory's four files, under any of their accepted names (`names.rs`).

use super::names::DataFile;

/// Loads the four files from `dir`, each under any of its [`DataFile::spellings`],
/// gzip-compressed or raw.
///
/// # Errors
/// [`DataError::NoDirectory`](super::DataError::NoDirectory) if `dir` cannot be listed;
/// [`FileNotFound`](super::DataError::FileNotFound) naming `dir` and every name looked for;
/// [`Io`](super::DataError::Io) if a file cannot be read; else what
/// [`Dataset::from_idx`](super::Dataset::from_idx) finds wrong with a file.
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
