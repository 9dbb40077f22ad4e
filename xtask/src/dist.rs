//! `cargo xtask dist`: builds the wasm (in several builds, `engine_builds`) and stages a self-contained static site in `dist/`,
//! with a service worker that keeps an offline copy of it (`sw.js`, `stage_service_worker`).

use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use clap::Args;

use crate::engine_builds::{BUILDS, EngineBuild};
use crate::names::{DEFAULT_DIR, DataFile};
use crate::{ensure_node_modules, root, run_cmd};

#[derive(Args, Clone)]
pub struct DistArgs {
    /// Folder holding the four Fashion-MNIST .gz files
    /// [default: $FASHION_MNIST_DIR, else /usr/share/datasets/fashion-mnist]
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Where to stage the site.
    #[arg(long, default_value = "dist")]
    pub out: PathBuf,
}

/// Builds and stages the site; returns its folder.
pub fn run(args: &DistArgs) -> Result<PathBuf> {
    let root = root();
    let out = root.join(&args.out);
    let data = data_dir(args.data.as_deref());
    // Check the inputs first so a missing file fails in a second, not after the build.
    let sources = data_files(&data)?;
    ensure_node_modules()?;
    let bindgen = wasm_bindgen()?;
    let wasms = BUILDS.iter().map(EngineBuild::compile).collect::<Result<Vec<_>>>()?;

    if out.exists() {
        fs::remove_dir_all(&out).with_context(|| format!("removing {}", out.display()))?;
    }
    fs::create_dir_all(&out)?;
    for (build, wasm) in BUILDS.iter().zip(wasms) {
        let pkg = out.join(build.dir);
        run_cmd(Command::new(&bindgen).args(["--target", "web", "--no-typescript", "--out-dir"]).arg(&pkg).arg(wasm))?;
        build.finish(&pkg)?;
    }
    copy(&root.join("index.html"), &out.join("index.html"))?;
    copy_dir(&root.join("www"), &out.join("www"))?;
    let uplot = root.join("node_modules/uplot/dist");
    for name in ["uPlot.esm.js", "uPlot.min.css"] {
        copy(&uplot.join(name), &out.join("vendor/uplot").join(name))?;
    }
    // Under the published names, which the page fetches; the page reads gzip or raw by the
    // bytes, so a raw file staged under a `.gz` name is fine.
    for (file, source) in STAGED_DATA.into_iter().zip(sources) {
        copy(&source, &out.join("data").join(file.name()))?;
    }
    stage_service_worker(&out)?;
    Ok(out)
}

/// The data files the page fetches: the training set, which its sample images come from too.
const STAGED_DATA: [DataFile; 2] = [DataFile::TrainImages, DataFile::TrainLabels];

/// The `STAGED_DATA` files in `dir`, each under any of the names the engine accepts (`DataFile`).
fn data_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let names: Vec<String> = fs::read_dir(dir)
        .with_context(|| {
            format!("reading the data directory {} (pass --data DIR or set FASHION_MNIST_DIR)", dir.display())
        })?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    STAGED_DATA
        .into_iter()
        .map(|file| match file.find_in(&names) {
            Some(name) => Ok(dir.join(name)),
            None => bail!(
                "{}: no {} file; looked for {} (pass --data DIR or set FASHION_MNIST_DIR)",
                dir.display(),
                file.what(),
                file.spellings().join(", ")
            ),
        })
        .collect()
}

/// Moves the service worker (`www/sw.js`, the offline copy) to the site's root, where its scope
/// covers the whole site, under a first line naming the site's files in three lists — `files`,
/// the page's own, copied when the worker installs; `engine`, the engine builds' (`pkg*/`),
/// and `data`, kept as the page first fetches them — with a hash of the worker and all the
/// files as the copy's `version`, and a hash of the data files alone as `data_version` (the
/// data's copy outlives versions that keep the same data). A changed file changes `sw.js`,
/// which is how browsers learn of a new version.
fn stage_service_worker(out: &Path) -> Result<()> {
    let source = out.join("www/sw.js");
    let worker = fs::read_to_string(&source).with_context(|| format!("reading {}", source.display()))?;
    fs::remove_file(&source)?;
    let mut files = Vec::new();
    list_files(out, "", &mut files)?;
    files.sort();
    // std's SipHash: stable for a given toolchain, and a new toolchain only costs one reload
    // of the offline copy.
    let mut site = std::hash::DefaultHasher::new();
    let mut data = std::hash::DefaultHasher::new();
    worker.hash(&mut site);
    let mut lists: [Vec<&str>; 3] = Default::default();
    for file in &files {
        if !file.chars().all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c)) {
            bail!("{file}: the offline copy needs plain file names (ASCII letters, digits, . _ - /)");
        }
        let bytes = fs::read(out.join(file)).with_context(|| format!("reading {file}"))?;
        (file, &bytes).hash(&mut site);
        let list = if file.starts_with("data/") {
            (file, &bytes).hash(&mut data);
            2
        } else if BUILDS.iter().any(|b| file.starts_with(&format!("{}/", b.dir))) {
            1
        } else {
            0
        };
        lists[list].push(file);
    }
    let json = |list: &[&str]| list.iter().map(|f| format!("\"{f}\"")).collect::<Vec<_>>().join(", ");
    let manifest = format!(
        "// Staged by `cargo xtask dist` from www/sw.js: the site's files and hashes of their contents.\n\
         const PRECACHE = {{ \"version\": \"{:016x}\", \"data_version\": \"{:016x}\", \"files\": [{}], \"engine\": [{}], \"data\": [{}] }};\n\n",
        site.finish(),
        data.finish(),
        json(&lists[0]),
        json(&lists[1]),
        json(&lists[2]),
    );
    fs::write(out.join("sw.js"), manifest + &worker).context("writing sw.js")?;
    Ok(())
}

/// Appends the path of every file under `dir/prefix`, relative to `dir` and joined by `/`.
fn list_files(dir: &Path, prefix: &str, files: &mut Vec<String>) -> Result<()> {
    for entry in fs::read_dir(dir.join(prefix)).with_context(|| format!("reading {}", dir.display()))? {
        let entry = entry?;
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        if entry.file_type()?.is_dir() {
            list_files(dir, &format!("{name}/"), files)?;
        } else {
            files.push(name);
        }
    }
    Ok(())
}

fn data_dir(arg: Option<&Path>) -> PathBuf {
    match (arg, std::env::var_os("FASHION_MNIST_DIR")) {
        (Some(dir), _) => dir.to_path_buf(),
        (None, Some(dir)) => PathBuf::from(dir),
        (None, None) => PathBuf::from(DEFAULT_DIR),
    }
}

/// The wasm-bindgen version the crate pins (`wasm-bindgen = "=X.Y.Z"` in Cargo.toml, the one
/// place it is written): the CLI must match it exactly.
fn pinned_wasm_bindgen() -> Result<String> {
    let manifest = root().join("Cargo.toml");
    let text = fs::read_to_string(&manifest).with_context(|| format!("reading {}", manifest.display()))?;
    let doc: toml::Table = text.parse().with_context(|| format!("parsing {}", manifest.display()))?;
    let pinned = doc
        .get("target")
        .and_then(|t| t.get(r#"cfg(target_arch = "wasm32")"#))
        .and_then(|t| t.get("dependencies"))
        .and_then(|d| d.get("wasm-bindgen"))
        .and_then(toml::Value::as_str)
        .and_then(|v| v.strip_prefix('='));
    pinned.map(str::to_owned).with_context(|| format!("{} pins no wasm-bindgen version (`=X.Y.Z`)", manifest.display()))
}

/// The `wasm-bindgen` CLI, which must match the crate's pinned wasm-bindgen version.
fn wasm_bindgen() -> Result<PathBuf> {
    let want = pinned_wasm_bindgen()?;
    let in_cargo_bin = std::env::var_os("HOME")
        .map(|home| PathBuf::from(home).join(".cargo/bin/wasm-bindgen"))
        .filter(|p| p.is_file());
    let program = in_cargo_bin.unwrap_or_else(|| PathBuf::from("wasm-bindgen"));
    let install = format!("install it with `cargo install wasm-bindgen-cli --version {want}`");
    let output = Command::new(&program)
        .arg("--version")
        .output()
        .with_context(|| format!("wasm-bindgen not found: {install}"))?;
    let version = String::from_utf8_lossy(&output.stdout);
    if version.split_whitespace().nth(1) != Some(want.as_str()) {
        bail!("found {} but need wasm-bindgen {want}: {install}", version.trim());
    }
    Ok(program)
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::copy(from, to).with_context(|| format!("copying {} to {}", from.display(), to.display()))?;
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    for entry in fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            copy(&entry.path(), &target)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Stages a site of `index.html` = `page` and the files `extra` (name, contents) in a fresh `dir`.
    fn stage(dir: &Path, page: &str, extra: &[(&str, &str)]) -> Result<String> {
        let _ = fs::remove_dir_all(dir);
        fs::create_dir_all(dir.join("www"))?;
        fs::write(dir.join("www/sw.js"), "/* the worker */\n")?;
        fs::write(dir.join("index.html"), page)?;
        for (name, contents) in extra {
            write_file(&dir.join(name), contents)?;
        }
        stage_service_worker(dir)?;
        Ok(fs::read_to_string(dir.join("sw.js"))?)
    }

    fn write_file(path: &Path, contents: &str) -> Result<()> {
        fs::create_dir_all(path.parent().expect("a file in a folder"))?;
        Ok(fs::write(path, contents)?)
    }

    fn field<'a>(sw: &'a str, name: &str) -> &'a str {
        let key = format!(r#""{name}": ""#);
        sw.split(key.as_str()).nth(1).and_then(|rest| rest.split('"').next()).unwrap_or_default()
    }

    #[test]
    fn the_service_worker_lists_the_site_under_hashes_of_it() -> Result<()> {
        let dir = std::env::temp_dir().join(format!("xtask-sw-{}", std::process::id()));
        let site = |page, data| {
            let files = [("www/app.js", ""), ("pkg-relaxed/weight_init_lab_bg.wasm", "wasm"), ("data/train.gz", data)];
            stage(&dir, page, &files)
        };
        let first = site("<p>one</p>", "images")?;
        assert!(!dir.join("www/sw.js").exists(), "moved to the site's root");
        assert!(first.contains(r#""files": ["index.html", "www/app.js"]"#), "the page's own: {first}");
        assert!(first.contains(r#""engine": ["pkg-relaxed/weight_init_lab_bg.wasm"]"#), "an engine build: {first}");
        assert!(first.contains(r#""data": ["data/train.gz"]"#), "the data: {first}");
        assert!(first.ends_with("/* the worker */\n"), "{first}");
        assert_eq!(field(&first, "version").len(), 16, "{first}");
        let again = site("<p>one</p>", "images")?;
        assert_eq!(field(&again, "version"), field(&first, "version"), "same site, same version");
        let page = site("<p>two</p>", "images")?;
        assert_ne!(field(&page, "version"), field(&first, "version"), "a changed page");
        assert_eq!(field(&page, "data_version"), field(&first, "data_version"), "the same data");
        let data = site("<p>one</p>", "digits")?;
        assert_ne!(field(&data, "data_version"), field(&first, "data_version"), "changed data");
        assert_ne!(field(&data, "version"), field(&first, "version"), "changed data is a new version");
        let refused = stage(&dir, "", &[("a b.html", "")]).expect_err("a name that is not a plain URL path");
        assert!(refused.to_string().contains("a b.html"), "{refused}");
        fs::remove_dir_all(&dir)?;
        Ok(())
    }
}
