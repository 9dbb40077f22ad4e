//! Every way an IDX file can be wrong gets its own error naming the file; what the reference
//! tools accept (zero padding after gzip data, concatenated members) and what browsers and
//! archivers hand over (raw bytes under a `.gz` name, other spellings of the names) parses;
//! the real Fashion-MNIST files parse.

use std::io::Write;

use weight_init_lab::data::idx::{self, IdxKind};
use weight_init_lab::data::{self, DataError, DataFile, Dataset};

fn header(magic: u32, dims: &[u32]) -> Vec<u8> {
    let mut h = magic.to_be_bytes().to_vec();
    dims.iter().for_each(|d| h.extend(d.to_be_bytes()));
    h
}

fn images(count: u32, side: u32) -> Vec<u8> {
    let mut b = header(0x803, &[count, side, side]);
    b.extend((0..count * side * side).map(|i| (i % 256) as u8));
    b
}

fn labels(values: &[u8]) -> Vec<u8> {
    let mut b = header(0x801, &[values.len() as u32]);
    b.extend_from_slice(values);
    b
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn parse(img: &[u8], lab: &[u8]) -> Result<Dataset, DataError> {
    Dataset::from_idx("images.idx", img, "labels.idx", lab)
}

#[test]
fn a_valid_pair_parses_raw_and_gzipped() {
    let (img, lab) = (images(3, 28), labels(&[0, 9, 4]));
    let raw = parse(&img, &lab).unwrap();
    let gz = Dataset::from_idx("i.gz", &gzip(&img), "l.gz", &gzip(&lab)).unwrap();
    assert_eq!(raw.len(), 3);
    assert_eq!(raw.labels, vec![0, 9, 4]);
    assert_eq!(raw.image(1), &img[16 + 784..16 + 2 * 784]);
    assert_eq!(gz.pixels, raw.pixels);
}

#[test]
fn empty_file() {
    let e = parse(&[], &labels(&[1])).unwrap_err();
    assert_eq!(e, DataError::Empty { file: "images.idx".into() });
    assert!(e.to_string().contains("images.idx: the file is empty"), "{e}");
}

#[test]
fn the_bytes_not_the_name_say_whether_a_file_is_gzip() {
    // A server's `Content-Encoding: gzip` makes the browser hand over raw bytes under `.gz`.
    let (img, lab) = (images(2, 28), labels(&[3, 4]));
    for (i_name, l_name) in [
        ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
        ("t10k-images.idx3-ubyte.GZ", "labels.gz"),
        ("images.tar.gz", "labels"),
    ] {
        let raw = Dataset::from_idx(i_name, &img, l_name, &lab).unwrap();
        let gz = Dataset::from_idx(i_name, &gzip(&img), l_name, &gzip(&lab)).unwrap();
        assert_eq!((raw.pixels.as_slice(), raw.labels.as_slice()), (&img[16..], &lab[8..]), "{i_name}");
        assert_eq!((gz.pixels, gz.labels), (raw.pixels, raw.labels), "{i_name}");
    }
    // Gzip data under a name without `.gz` is decompressed too.
    assert_eq!(idx::parse("train-labels-idx1-ubyte", &gzip(&lab), IdxKind::Labels).unwrap().body, [3, 4]);
}

#[test]
fn bytes_that_are_neither_gzip_nor_idx_show_what_was_expected_and_found() {
    let cases: [(&[u8], &str); 5] = [
        (b"PK\x03\x04 this is a zip file", "50 4b 03 04 20 74 68 69"),
        (b"<!DOCTYPE html>", "3c 21 44 4f 43 54 59 50"),
        (&[0x1f], "1f"),
        (&[0x1f, 0x8c, 8, 0], "1f 8c 08 00"),
        (&[0x00, 0x01, 0x08, 0x03, 0, 0, 0, 1, 0, 0], "00 01 08 03 00 00 00 01"),
    ];
    for (bytes, head) in cases {
        let e = Dataset::from_idx("x.gz", bytes, "l", &labels(&[1])).unwrap_err();
        assert_eq!(
            e,
            DataError::NotIdxOrGzip {
                file: "x.gz".into(),
                expected: 0x803,
                what: "an IDX image file",
                head: hex(head)
            },
        );
        assert_eq!(
            e.to_string(),
            format!(
                "x.gz: not gzip data and not an IDX header: expected gzip's magic bytes 1f 8b or the IDX magic \
                 00 00 08 03 of an IDX image file; the file starts with {head}"
            )
        );
    }
    let e = idx::parse("l", b"9\n4\n", IdxKind::Labels).unwrap_err();
    assert!(
        e.to_string().ends_with("IDX magic 00 00 08 01 of an IDX label file; the file starts with 39 0a 34 0a"),
        "{e}"
    );
}

fn hex(pairs: &str) -> Vec<u8> {
    pairs.split(' ').map(|p| u8::from_str_radix(p, 16).unwrap()).collect()
}

#[test]
fn corrupt_gzip_stream() {
    let mut gz = gzip(&images(2, 28));
    let mid = gz.len() / 2;
    gz[mid..mid + 8].copy_from_slice(&[0xff; 8]);
    let e = parse(&gz, &labels(&[1, 2])).unwrap_err();
    assert!(matches!(e, DataError::CorruptGzip { .. }), "{e}");
    assert!(e.to_string().starts_with("images.idx: corrupt gzip data"), "{e}");
}

#[test]
fn gzip_cut_short_anywhere_is_corrupt_gzip_naming_the_file() {
    let gz = gzip(&images(2, 28));
    // In the header, in the compressed data, in the checksum and length trailer.
    for cut in [2, 5, 10, 11, 20, gz.len() / 2, gz.len() - 8, gz.len() - 4, gz.len() - 1] {
        let e = parse(&gz[..cut], &labels(&[1, 2])).unwrap_err();
        assert!(matches!(e, DataError::CorruptGzip { ref file, .. } if file == "images.idx"), "cut at {cut}: {e}");
        assert!(e.to_string().starts_with("images.idx: corrupt gzip data: "), "{e}");
    }
}

#[test]
fn zero_padding_after_gzip_data_is_accepted() {
    let (img, lab) = (images(2, 28), labels(&[1, 2]));
    for padding in [1, 7, 512, 4096, 1 << 20] {
        let mut gz = gzip(&img);
        gz.resize(gz.len() + padding, 0);
        assert_eq!(parse(&gz, &lab).unwrap().pixels, img[16..], "{padding} zero bytes");
    }
    // Zeros between members too, as Python's gzip reads them.
    let mut gz = gzip(&img[..500]);
    gz.extend([0; 100]);
    gz.extend(gzip(&img[500..]));
    gz.extend([0; 3]);
    assert_eq!(parse(&gz, &lab).unwrap().pixels, img[16..]);
}

#[test]
fn junk_after_gzip_data_or_its_padding_is_refused_with_where_it_starts() {
    let img = images(2, 28);
    let member = gzip(&img);
    let with = |tail: &[u8]| [member.as_slice(), tail].concat();
    let m = member.len();
    let cases: [(Vec<u8>, usize, usize); 5] = [
        (with(b"trailing junk"), 13, m),
        (with(&[0, 0, 0, 0, 7]), 1, m + 4),
        (with(&[0xff]), 1, m),
        ([with(&[0; 4096]), b"junk".to_vec()].concat(), 4, m + 4096),
        (with(&[0x1f]), 1, m),
    ];
    for (bytes, junk, at) in cases {
        let e = parse(&bytes, &labels(&[1, 2])).unwrap_err();
        assert_eq!(
            e,
            DataError::CorruptGzip {
                file: "images.idx".into(),
                detail: format!(
                    "{junk} bytes after the end of the gzip stream (from byte {at}) are neither another gzip member \
                     nor zero padding"
                ),
            }
        );
    }
    // Another member's magic followed by junk is a corrupt member.
    let e = parse(&with(&[0x1f, 0x8b, 0, 0]), &labels(&[1, 2])).unwrap_err();
    assert!(matches!(e, DataError::CorruptGzip { .. }), "{e}");
}

#[test]
fn concatenated_gzip_members_are_one_file() {
    let img = images(2, 28);
    let mut gz = gzip(&img[..1000]);
    gz.extend(gzip(&img[1000..]));
    assert_eq!(parse(&gz, &labels(&[1, 2])).unwrap().pixels, img[16..]);
    // Empty members count for nothing.
    let gz = [gzip(&[]), gzip(&img), gzip(&[])].concat();
    assert_eq!(parse(&gz, &labels(&[1, 2])).unwrap().pixels, img[16..]);
}

#[test]
fn labels_given_as_images_is_a_wrong_magic() {
    let e = parse(&labels(&[1, 2]), &labels(&[1, 2])).unwrap_err();
    assert!(matches!(e, DataError::WrongMagic { found: 0x801, expected: 0x803, .. }), "{e}");
    assert!(e.to_string().contains("rank 1"), "{e}");
}

#[test]
fn float_idx_names_its_type() {
    let mut img = images(1, 28);
    img[2] = 0x0D;
    let e = parse(&img, &labels(&[1])).unwrap_err();
    assert!(e.to_string().contains("float data of rank 3"), "{e}");
}

#[test]
fn wrong_image_size() {
    let e = parse(&images(2, 32), &labels(&[1, 2])).unwrap_err();
    assert_eq!(e, DataError::WrongImageSize { file: "images.idx".into(), rows: 32, cols: 32 });
}

#[test]
fn truncated_header() {
    let e = parse(&images(1, 28)[..10], &labels(&[1])).unwrap_err();
    assert_eq!(e, DataError::TruncatedHeader { file: "images.idx".into(), expected: 16, found: 10 });
}

#[test]
fn truncated_body() {
    let img = images(3, 28);
    let e = parse(&img[..img.len() - 100], &labels(&[1, 2, 3])).unwrap_err();
    assert!(matches!(e, DataError::TruncatedBody { expected: 2352, found: 2252, .. }), "{e}");
}

#[test]
fn header_count_below_the_bytes() {
    let mut img = images(3, 28);
    img[4..8].copy_from_slice(&2u32.to_be_bytes());
    let e = parse(&img, &labels(&[1, 2])).unwrap_err();
    assert!(matches!(e, DataError::TrailingBytes { extra: 784, .. }), "{e}");
}

#[test]
fn image_and_label_counts_differ() {
    let e = parse(&images(3, 28), &labels(&[1, 2])).unwrap_err();
    assert!(matches!(e, DataError::CountMismatch { image_count: 3, label_count: 2, .. }), "{e}");
    assert!(e.to_string().contains("images.idx has 3 images but labels.idx has 2 labels"), "{e}");
}

#[test]
fn label_out_of_range() {
    let e = parse(&images(3, 28), &labels(&[1, 10, 2])).unwrap_err();
    assert_eq!(e, DataError::LabelOutOfRange { file: "labels.idx".into(), index: 1, label: 10 });
}

#[test]
fn no_images() {
    let e = parse(&images(0, 28), &labels(&[])).unwrap_err();
    assert!(matches!(e, DataError::NoImages { .. }), "{e}");
}

#[test]
fn huge_header_counts_are_refused_before_allocating() {
    let e = parse(&header(0x803, &[u32::MAX, 28, 28]), &labels(&[1])).unwrap_err();
    assert!(matches!(e, DataError::TooLarge { .. }), "{e}");
    // A gzip bomb: a valid header with a big count, and far fewer bytes than it claims.
    let mut bomb = header(0x803, &[1_000_000, 28, 28]);
    bomb.extend(vec![0u8; 100_000]);
    let e = parse(&gzip(&bomb), &labels(&[1])).unwrap_err();
    assert!(matches!(e, DataError::TruncatedBody { found: 100_000, .. }), "{e}");
}

/// A small valid data set's four files, as `(file, bytes)`, raw IDX.
fn four_files() -> Vec<(DataFile, Vec<u8>)> {
    vec![
        (DataFile::TrainImages, images(5, 28)),
        (DataFile::TrainLabels, labels(&[0, 1, 2, 3, 4])),
        (DataFile::TestImages, images(2, 28)),
        (DataFile::TestLabels, labels(&[9, 8])),
    ]
}

#[test]
fn a_directory_loads_under_every_spelling_of_the_names() {
    let shout = |s: &str| s.to_uppercase();
    let title = |s: &str| s.replacen("train", "Train", 1).replacen("t10k", "T10K", 1);
    for spelling in 0..4 {
        for case in [|s: &str| s.to_string(), shout, title] {
            let dir = tempfile::tempdir().unwrap();
            for (i, (file, bytes)) in four_files().into_iter().enumerate() {
                let name = case(file.spellings()[spelling]);
                // Gzip or raw by the content, whatever the name says.
                let bytes = if i % 2 == 0 { gzip(&bytes) } else { bytes };
                std::fs::write(dir.path().join(&name), bytes).unwrap();
            }
            let sets = data::load_dir(dir.path()).unwrap_or_else(|e| panic!("spelling {spelling}: {e}"));
            assert_eq!((sets.train.labels, sets.test.labels), (vec![0, 1, 2, 3, 4], vec![9, 8]));
        }
    }
}

#[test]
fn the_published_name_wins_over_other_spellings() {
    let dir = tempfile::tempdir().unwrap();
    for (file, bytes) in four_files() {
        std::fs::write(dir.path().join(file.name()), gzip(&bytes)).unwrap();
    }
    // A broken copy under another spelling is not read.
    std::fs::write(dir.path().join("train-images.idx3-ubyte"), b"broken").unwrap();
    assert_eq!(data::load_dir(dir.path()).unwrap().train.len(), 5);
}

#[test]
fn a_missing_file_lists_every_name_looked_for() {
    let dir = tempfile::tempdir().unwrap();
    for (file, bytes) in four_files().into_iter().filter(|(f, _)| *f != DataFile::TestLabels) {
        std::fs::write(dir.path().join(file.spellings()[3]), bytes).unwrap();
    }
    std::fs::write(dir.path().join("t10k-labels-idx1-ubyte.zip"), b"not this").unwrap();
    let e = data::load_dir(dir.path()).unwrap_err();
    let shown = dir.path().display().to_string();
    assert_eq!(
        e,
        DataError::FileNotFound {
            dir: shown.clone(),
            what: "test labels",
            looked_for: vec![
                "t10k-labels-idx1-ubyte.gz",
                "t10k-labels-idx1-ubyte",
                "t10k-labels.idx1-ubyte.gz",
                "t10k-labels.idx1-ubyte"
            ],
        }
    );
    assert_eq!(
        e.to_string(),
        format!(
            "{shown}: no test labels file; looked for t10k-labels-idx1-ubyte.gz, t10k-labels-idx1-ubyte, \
             t10k-labels.idx1-ubyte.gz, t10k-labels.idx1-ubyte (in any letter case)"
        )
    );
    // An empty directory: the first file it looks for.
    let empty = tempfile::tempdir().unwrap();
    let e = data::load_dir(empty.path()).unwrap_err();
    assert!(matches!(e, DataError::FileNotFound { what: "training images", .. }), "{e}");
    for name in DataFile::TrainImages.spellings() {
        assert!(e.to_string().contains(name), "{e}");
    }
}

#[test]
fn a_missing_or_unreadable_directory_is_named() {
    let e = data::load_dir(std::path::Path::new("/nonexistent/fashion")).unwrap_err();
    assert!(matches!(e, DataError::NoDirectory { ref dir, .. } if dir == "/nonexistent/fashion"), "{e}");
    assert!(e.to_string().starts_with("/nonexistent/fashion: cannot read the data directory: "), "{e}");
    // A file where the directory should be.
    let file = tempfile::NamedTempFile::new().unwrap();
    let e = data::load_dir(file.path()).unwrap_err();
    assert!(matches!(e, DataError::NoDirectory { .. }), "{e}");
    // A directory where a file should be.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(DataFile::TrainImages.name())).unwrap();
    let e = data::load_dir(dir.path()).unwrap_err();
    let path = dir.path().join(DataFile::TrainImages.name()).display().to_string();
    assert!(matches!(e, DataError::Io { ref file, .. } if *file == path), "{e}");
}

#[test]
fn the_real_fashion_mnist_parses() {
    let sets =
        data::load_dir(&data::resolve_dir(None)).expect("the Fashion-MNIST files (scripts/setup.sh installs them)");
    assert_eq!((sets.train.len(), sets.test.len()), (60_000, 10_000));
    assert_eq!(sets.train.pixels.len(), 60_000 * 784);
    // Fashion-MNIST is balanced: 6,000 training images per class.
    let mut counts = [0usize; 10];
    sets.train.labels.iter().for_each(|&l| counts[l as usize] += 1);
    assert_eq!(counts, [6000; 10]);
}
