//! Shared by the native GPU tests: opening the device (or skipping), blocking reads, seeded
//! random inputs and tolerance checks that name the first element out of bounds.

#![allow(dead_code)] // each test crate uses its own subset

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use weight_init_lab::backend::gpu::GpuBackend;
use weight_init_lab::backend::{Backend, Buf};

/// The GPU backend, or `None` (the test then passes as skipped) when this machine has no
/// adapter — unless `WIL_REQUIRE_GPU=1`, as in CI, where a missing GPU is a failure.
pub fn open_gpu() -> Option<GpuBackend> {
    match pollster::block_on(GpuBackend::new()) {
        Ok(gpu) => Some(gpu),
        Err(e) if std::env::var("WIL_REQUIRE_GPU").as_deref() == Ok("1") => {
            panic!("WIL_REQUIRE_GPU=1 but the GPU backend failed: {e}")
        }
        Err(e) => {
            eprintln!("skipped: {e}");
            None
        }
    }
}

pub fn read(b: &mut dyn Backend, buf: Buf) -> Vec<f32> {
    pollster::block_on(b.read(buf)).expect("read back")
}

pub fn rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

pub fn uniform(rng: &mut ChaCha8Rng, len: usize, low: f32, high: f32) -> Vec<f32> {
    (0..len).map(|_| rng.random_range(low..high)).collect()
}

/// A buffer holding `data`.
pub fn tensor(b: &mut dyn Backend, data: &[f32]) -> Buf {
    let buf = b.alloc(data.len());
    b.write(buf, data);
    buf
}

/// `|got - want| <= bound[i]` for every element.
pub fn assert_within(what: &str, got: &[f32], want: &[f32], bound: impl Fn(usize) -> f32) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (i, (&g, &w)) in got.iter().zip(want).enumerate() {
        let b = bound(i);
        assert!((g - w).abs() <= b, "{what}[{i}]: gpu {g} vs cpu {w}, |diff| {} > {b}", (g - w).abs());
    }
}

/// `|got - want| <= atol + rtol * |want|` for every element.
pub fn assert_close(what: &str, got: &[f32], want: &[f32], atol: f32, rtol: f32) {
    assert_within(what, got, want, |i| atol + rtol * want[i].abs());
}
