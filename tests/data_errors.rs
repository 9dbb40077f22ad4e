//! Every way an IDX file can be wrong gets its own error naming the file; the real
//! Fashion-MNIST files parse.

use std::io::Write;

use weight_init_lab::data::{self, DataError, Dataset};

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
fn gz_name_without_gzip_data() {
    let e = Dataset::from_idx("train-images-idx3-ubyte.gz", &images(1, 28), "l", &labels(&[1])).unwrap_err();
    assert!(matches!(e, DataError::NotGzip { ref file } if file == "train-images-idx3-ubyte.gz"), "{e}");
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
fn gzip_cut_short() {
    let gz = gzip(&images(2, 28));
    let e = parse(&gz[..gz.len() / 2], &labels(&[1, 2])).unwrap_err();
    assert!(matches!(e, DataError::CorruptGzip { .. } | DataError::TruncatedBody { .. }), "{e}");
}

#[test]
fn junk_after_the_gzip_stream() {
    let mut gz = gzip(&images(2, 28));
    gz.extend_from_slice(b"trailing junk");
    let e = parse(&gz, &labels(&[1, 2])).unwrap_err();
    assert!(matches!(e, DataError::CorruptGzip { .. }), "{e}");
}

#[test]
fn concatenated_gzip_members_are_one_file() {
    let img = images(2, 28);
    let mut gz = gzip(&img[..1000]);
    gz.extend(gzip(&img[1000..]));
    assert_eq!(parse(&gz, &labels(&[1, 2])).unwrap().pixels, img[16..]);
}

#[test]
fn labels_given_as_images_is_a_wrong_magic() {
    let e = parse(&labels(&[1, 2]), &labels(&[1, 2])).unwrap_err();
    assert!(matches!(e, DataError::WrongMagic { found: 0x801, expected: 0x803, .. }), "{e}");
    assert!(e.to_string().contains("rank 1"), "{e}");
}

#[test]
fn random_bytes_are_not_an_idx_header() {
    let e = parse(b"PK\x03\x04 this is a zip file", &labels(&[1])).unwrap_err();
    assert!(e.to_string().contains("not an IDX header"), "{e}");
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

#[test]
fn missing_directory_names_the_file() {
    let e = data::load_dir(std::path::Path::new("/nonexistent/fashion")).unwrap_err();
    assert!(e.to_string().contains("/nonexistent/fashion/train-images-idx3-ubyte.gz"), "{e}");
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
