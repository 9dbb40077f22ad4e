//! Weight Initialization Lab: the lesson's MLP trained side by side for several
//! initializers, on the CPU or on a GPU through wgpu, natively or in the browser.

pub mod backend;
pub mod data;
pub mod init;
pub mod model;
pub mod seeds;
pub mod stats;
pub mod train;
#[cfg(target_arch = "wasm32")]
pub mod web;
