//! The kernel cases of gpu_common/cases.rs (every GPU kernel against its CPU twin, with their
//! tolerances) on whatever adapter wgpu finds natively (Mesa's lavapipe in CI), one test per
//! case, and the checks only a native device needs.

mod gpu_common;
#[macro_use]
#[path = "gpu_common/cases.rs"]
mod cases;

use cases::tensor;
use gpu_common::{open_gpu, read};
use weight_init_lab::backend::cpu::CpuBackend;
use weight_init_lab::backend::gpu::MatmulKernel;
use weight_init_lab::backend::{Gemm, TrainOps};

macro_rules! native_tests {
    ($($case:ident),* $(,)?) => {$(
        #[test]
        fn $case() {
            let Some(mut gpu) = open_gpu() else { return };
            pollster::block_on(cases::$case(&mut CpuBackend::new(1), &mut gpu));
        }
    )*};
}

kernel_cases!(native_tests);

/// Both shaders of the matrix product on this adapter (its own choice is one of them), every
/// form against the CPU.
#[test]
fn both_matmul_shaders_match_cpu_in_every_form() {
    for kernel in [MatmulKernel::Tiled, MatmulKernel::Direct] {
        let Some(gpu) = open_gpu() else { return };
        let mut gpu = pollster::block_on(gpu.with_matmul(kernel)).expect("the shader compiles");
        pollster::block_on(cases::gemm_matches_cpu_in_every_form(&mut CpuBackend::new(1), &mut gpu));
    }
}

#[test]
fn name_shows_adapter_and_api() {
    let Some(gpu) = open_gpu() else { return };
    let name = gpu.name();
    eprintln!("GPU backend: {name}");
    assert!(name.contains(" · "), "{name}");
}

#[test]
fn a_sibling_shares_the_device_but_not_the_buffers() {
    let Some(mut first) = open_gpu() else { return };
    let a = tensor(&mut first, &[1.0, 2.0, 3.0]);
    let mut second = first.sibling();
    let b = tensor(&mut second, &[4.0, 5.0]);
    second.fill(b, 7.0);
    assert_eq!(read(&mut second, b), vec![7.0, 7.0]);
    assert_eq!(read(&mut first, a), vec![1.0, 2.0, 3.0]);
    // Dropping the first backend frees only its own buffers.
    drop(first);
    let g = Gemm { models: 1, m: 1, n: 1, k: 2, trans_a: false, trans_b: false, shared_a: false };
    let (x, w, y) = (tensor(&mut second, &[1.0, 2.0]), tensor(&mut second, &[3.0, 4.0]), second.alloc(1));
    second.gemm(&g, x, w, y);
    assert_eq!(read(&mut second, y), vec![11.0]);
}

/// A data set larger than the device's largest binding is kept in chunks of whole images, and
/// a batch that spans chunks gathers exactly as from one buffer.
#[test]
fn gather_matches_cpu_with_the_data_set_in_chunks() {
    let Some(mut gpu) = open_gpu() else { return };
    // 7 of the case's 37-byte images per binding: 50 images make 8 chunks.
    gpu.limit_bindings(7 * 37 + 3);
    pollster::block_on(cases::gather_matches_cpu(&mut CpuBackend::new(1), &mut gpu));
}
