//! The IDX/gzip reader on arbitrary bytes: every input parses or gets a `DataError`, never a
//! panic; the file's name never changes the outcome (the bytes decide gzip or raw); what
//! parses has a body of exactly its dimensions.
#![no_main]

use libfuzzer_sys::fuzz_target;
use weight_init_lab::data::Dataset;
use weight_init_lab::data::idx::{self, IdxKind};

fuzz_target!(|data: &[u8]| {
    for kind in [IdxKind::Images, IdxKind::Labels] {
        let raw_name = idx::parse("file", data, kind).map(|f| (f.dims, f.body));
        let gz_name = idx::parse("file.gz", data, kind).map(|f| (f.dims, f.body));
        match (&raw_name, &gz_name) {
            (Ok(a), Ok(b)) => assert_eq!(a, b),
            (Err(a), Err(b)) => assert_eq!(a.to_string().replacen("file", "file.gz", 1), b.to_string()),
            _ => panic!("the name changed the outcome: {raw_name:?} vs {gz_name:?}"),
        }
        if let Ok((dims, body)) = raw_name {
            assert_eq!(dims.iter().product::<usize>(), body.len());
        }
    }
    // An image file and a label file: the first byte says where the rest splits.
    if let Some((&split, rest)) = data.split_first() {
        let (images, labels) = rest.split_at(split as usize * rest.len() / 255);
        if let Ok(set) = Dataset::from_idx("images.gz", images, "labels", labels) {
            assert_eq!(set.pixels.len(), set.len() * set.pixels_per_image());
            assert!(!set.is_empty() && set.labels.iter().all(|&l| l < 10));
        }
    }
});
