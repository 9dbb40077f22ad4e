//! The kernel table against the shaders it names, and compile errors named by kernel.

use super::*;

/// The shader's `struct Params` as `(field, type)` pairs, in order.
fn wgsl_params(source: &str) -> Vec<(&str, &str)> {
    let (_, rest) = source.split_once("struct Params {").expect("a `struct Params`");
    let (body, _) = rest.split_once('}').expect("the end of `struct Params`");
    body.split(',')
        .map(str::trim)
        .filter(|field| !field.is_empty())
        .map(|field| {
            let (name, ty) = field.split_once(':').expect("`name: type`");
            (name.trim(), ty.trim())
        })
        .collect()
}

/// The shader's storage bindings as `(binding, access, name)`, in order of declaration.
fn wgsl_storage(source: &str) -> Vec<(u32, Access, &str)> {
    source
        .lines()
        .filter_map(|line| {
            let (binding, rest) = line.strip_prefix("@group(0) @binding(")?.split_once(") var<storage, ")?;
            let (access, rest) = rest.split_once("> ")?;
            let access = match access {
                "read" => Access::Read,
                "read_write" => Access::ReadWrite,
                other => panic!("storage access `{other}`"),
            };
            let (name, _) = rest.split_once(':')?;
            Some((binding.parse().expect("a binding number"), access, name))
        })
        .collect()
}

/// Each kernel's Rust parameters and storage bindings are what its WGSL declares, so
/// neither side can change without the other.
#[test]
fn every_kernel_matches_its_shader() {
    for spec in TABLE.iter().chain([&MatmulKernel::Direct.spec()]) {
        let params = wgsl_params(spec.source);
        assert_eq!(params, spec.declares.params, "{}: Params fields", spec.name);
        // f32, u32 and i32 are 4 bytes with 4-byte alignment in WGSL's uniform layout.
        assert!(params.iter().all(|(_, ty)| ["f32", "u32", "i32"].contains(ty)), "{}: {params:?}", spec.name);
        assert_eq!(spec.declares.params_size, 4 * params.len(), "{}: Params size", spec.name);

        let storage = wgsl_storage(spec.source);
        let bindings: Vec<u32> = storage.iter().map(|&(binding, _, _)| binding).collect();
        assert_eq!(bindings, (1..=spec.storage.len() as u32).collect::<Vec<_>>(), "{}: bindings", spec.name);
        let access: Vec<Access> = storage.iter().map(|&(_, access, _)| access).collect();
        assert_eq!(access, spec.storage, "{}: storage access", spec.name);
        let names: Vec<&str> = storage.iter().map(|&(_, _, name)| name).collect();
        assert_eq!(names, spec.declares.storage, "{}: storage names", spec.name);
    }
}

/// A kernel that does not compile is reported by name, not as a panic of the device.
#[test]
fn broken_kernel_is_named_in_the_error() {
    let Some(gpu) = super::super::test_backend() else {
        return;
    };
    let broken = KernelSpec {
        name: "broken",
        source: "fn main() { let x: u32 = ; }",
        storage: &[],
        declares: Declares { storage: &[], params: &[], params_size: 0 },
    };
    match pollster::block_on(compile(&gpu.device, &broken)) {
        Err(BackendError::Shader { kernel, message }) => {
            assert_eq!(kernel, "broken");
            assert!(!message.is_empty());
        }
        Err(e) => panic!("wrong error: {e}"),
        Ok(_) => panic!("a broken kernel compiled"),
    }
}
