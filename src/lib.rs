//! Weight Initialization Lab: the lesson's MLP trained side by side for several
//! initializers, on the CPU or on a GPU through wgpu, natively or in the browser.
//!
//! page ⇄ worker ⇄ `session` (commands in, events out) → `train` (N models, same batches)
//! → `model` (the MLP, written once) → `backend` (CPU reference, or WGSL kernels on wgpu).
//! `data` parses IDX files, `init` fills layers, `seeds` derives every random stream,
//! `stats` computes the per-layer diagnostics; `presets` are the published experiments on
//! depth, activation and optimizer as runs.

pub mod backend;
pub mod catalog;
pub mod data;
pub mod export;
pub mod init;
pub mod model;
pub mod presets;
pub mod seeds;
pub mod session;
pub mod stats;
pub mod train;
#[cfg(target_arch = "wasm32")]
pub mod web;
#[cfg(target_arch = "wasm32")]
pub mod web_bench;
#[cfg(feature = "wire-types")]
pub mod wire;
