//! The command-line tool, run as a user runs it.

use std::process::Command;

fn lab(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_weight-init-lab")).args(args).output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

/// `compare` on the CPU for one epoch with `args`: its table, and the document of its `--json`.
fn compare_json(args: &[&str]) -> (String, serde_json::Value) {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("run.json");
    let mut all = vec!["compare", "--backend", "cpu", "--epochs", "1"];
    all.extend_from_slice(args);
    all.extend(["--json", json.to_str().unwrap()]);
    let (ok, stdout, stderr) = lab(&all);
    assert!(ok, "{stderr}");
    (stdout, serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap())
}

#[test]
fn compare_prints_the_table_and_writes_json_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let (json, csv, events) = (dir.path().join("run.json"), dir.path().join("run.csv"), dir.path().join("run.jsonl"));
    let (ok, stdout, stderr) = lab(&[
        "compare",
        "--backend",
        "cpu",
        "--epochs",
        "1",
        "--init",
        "zeros,general-rule",
        "--seed",
        "3",
        "--json",
        json.to_str().unwrap(),
        "--csv",
        csv.to_str().unwrap(),
        "--events",
        events.to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("All Zeros") && stdout.contains("General rule [−y, y)"), "{stdout}");
    assert!(stdout.contains("samples/s"), "{stdout}");

    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(doc["history"]["losses"][1].as_array().unwrap().len(), 480);
    let acc = doc["results"][1]["val_accuracy"].as_f64().unwrap();
    assert!(acc > 0.8, "general rule after one epoch: {acc}");
    let zeros_acc = doc["results"][0]["val_accuracy"].as_f64().unwrap();
    assert!((zeros_acc - 0.1).abs() < 0.02, "zeros: {zeros_acc}");
    // The JSON carries the views' numbers too: the confusion matrix of the full pass (rows
    // add up to the 12,000 validation images), the live points and layer health.
    let confusion = doc["history"]["evals"][0]["confusion"][1].as_array().unwrap();
    assert_eq!(confusion.iter().map(|c| c.as_u64().unwrap()).sum::<u64>(), 12_000);
    assert_eq!(doc["history"]["live_evals"].as_array().unwrap().len(), 6);
    assert_eq!(doc["history"]["health"].as_array().unwrap().len(), 48);

    let csv = std::fs::read_to_string(&csv).unwrap();
    assert!(csv.starts_with("metric,step,initializer,value\n"));
    assert_eq!(csv.lines().filter(|l| l.starts_with("batch_loss,")).count(), 2 * 480);
    assert!(csv.lines().any(|l| l.starts_with("final_val_accuracy,480,general-rule,")));

    // The events, as a course author reads them back: one JSON object per line.
    let events: Vec<serde_json::Value> = std::fs::read_to_string(&events)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is one JSON object"))
        .collect();
    let kinds: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    // Training starts once the run is built: `running` follows its `run`.
    assert_eq!(kinds[..4], ["data", "run", "backend", "running"], "{kinds:?}");
    assert_eq!(events[1]["inits"], serde_json::json!(["zeros", "general-rule"]));
    assert_eq!(events[1]["total_steps"], 480);
    // Progress events cover steps 1..=480 once each, in order.
    let mut next = 0;
    for p in events.iter().filter(|e| e["type"] == "progress") {
        assert_eq!(p["from_step"], next);
        let step = p["step"].as_u64().unwrap();
        assert_eq!(p["losses"][1].as_array().unwrap().len() as u64, step - next);
        next = step;
    }
    assert_eq!(next, 480);
    let (live, evals): (Vec<_>, Vec<_>) =
        events.iter().filter(|e| e["type"] == "eval").partition(|e| e["point"]["subset"] == true);
    assert_eq!(evals.len(), 1, "one full validation pass, at the end of the epoch");
    assert!((evals[0]["point"]["accuracy"][1].as_f64().unwrap() - acc).abs() < 1e-6);
    let live_steps: Vec<u64> = live.iter().map(|e| e["point"]["step"].as_u64().unwrap()).collect();
    assert_eq!(live_steps, [10, 25, 50, 100, 200, 400], "live points on the subset");
    // The views' statistics, for a course author to plot: layer health every 10 steps, with a
    // histogram per layer, and the diagnostics with the first layer's tiles.
    let health: Vec<_> = events.iter().filter(|e| e["type"] == "health").collect();
    assert_eq!(health.len(), 48);
    let ratio = health[4]["layers"][1][0]["update_ratio"].as_f64().unwrap();
    assert!((1e-4..1e-1).contains(&ratio), "the rule's update ratio at step 50: {ratio}");
    assert_eq!(health[4]["layers"][1][1]["histogram"].as_array().unwrap().len(), 40);
    let diagnostics = events.iter().rfind(|e| e["type"] == "diagnostics").expect("diagnostics");
    assert_eq!(diagnostics["tiles"]["units"], 64);
    assert_eq!(diagnostics["layers"][0][0]["distinct_units"], 1, "all-zeros: one neuron");
    let finished = events.iter().find(|e| e["type"] == "finished").expect("a finished event");
    assert_eq!(finished["images"], 48_000);
    let position = |kind| kinds.iter().rposition(|k| *k == kind);
    assert!(position("running") > position("finished"), "the run stops after it finishes: {kinds:?}");
}

#[test]
fn an_unknown_initializer_is_explained() {
    let (ok, _, stderr) = lab(&["compare", "--backend", "cpu", "--init", "zeros,glorot"]);
    assert!(!ok);
    assert!(stderr.contains("unknown initializer `glorot`") && stderr.contains("xavier-uniform"), "{stderr}");
}

#[test]
fn a_broken_data_directory_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, stderr) = lab(&["compare", "--backend", "cpu", "--data", dir.path().to_str().unwrap()]);
    assert!(!ok);
    assert!(stderr.contains("train-images-idx3-ubyte.gz"), "{stderr}");

    // A real label file in place of the images.
    let real = weight_init_lab::data::resolve_dir(None);
    for name in ["train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"] {
        std::fs::copy(real.join(name), dir.path().join(name)).unwrap();
    }
    std::fs::copy(real.join("train-labels-idx1-ubyte.gz"), dir.path().join("train-images-idx3-ubyte.gz")).unwrap();
    let (ok, _, stderr) = lab(&["compare", "--backend", "cpu", "--data", dir.path().to_str().unwrap()]);
    assert!(!ok);
    assert!(stderr.contains("train-images-idx3-ubyte.gz: wrong magic number 0x00000801"), "{stderr}");
}

#[test]
fn bench_prints_samples_per_second() {
    let (ok, stdout, stderr) = lab(&["bench", "--backend", "cpu", "--threads", "1", "--models", "1,2", "--steps", "3"]);
    assert!(ok, "{stderr}");
    let rows: Vec<&str> = stdout.lines().filter(|l| l.starts_with("CPU")).collect();
    assert_eq!(rows.len(), 2, "{stdout}");
    let samples: f64 = rows[0].split_whitespace().nth(5).unwrap().parse().unwrap();
    assert!(samples > 0.0, "{stdout}");
}

#[test]
fn bench_json_prints_one_object_per_measurement() {
    let (ok, stdout, stderr) =
        lab(&["bench", "--json", "--backend", "cpu", "--threads", "1", "--models", "1,2", "--steps", "3"]);
    assert!(ok, "{stderr}");
    let rows: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.iter().map(|r| r["models"].as_u64().unwrap()).collect::<Vec<_>>(), [1, 2], "{stdout}");
    for row in &rows {
        assert_eq!(row["backend"], "CPU (1 thread)");
        assert_eq!(row["threads"], 1);
        let (ms, samples) = (row["ms_per_step"].as_f64().unwrap(), row["samples_per_s"].as_f64().unwrap());
        // 100 images per step.
        assert!((samples * ms / 1000.0 / 100.0 - 1.0).abs() < 1e-6, "{row}");
        let loss = row["loss"].as_f64().unwrap();
        assert!(loss.is_finite() && loss > 0.0, "{row}");
    }
}

#[test]
fn settings_and_output_files_are_checked_before_training() {
    // A negative number reaches the settings check (not the argument parser's "unexpected
    // argument"), and a bad setting is named before any device is opened or step trained.
    let (ok, stdout, stderr) = lab(&["compare", "--backend", "cpu", "--lr", "-1"]);
    assert!(!ok && stdout.is_empty());
    assert!(stderr.contains("the learning rate must be a positive number, not -1"), "{stderr}");
    let (ok, stdout, stderr) = lab(&["compare", "--backend", "cpu", "--json", "/nonexistent/dir/run.json"]);
    assert!(!ok);
    assert!(stdout.is_empty(), "refused before training, not after: {stdout}");
    assert!(stderr.contains("/nonexistent/dir/run.json"), "{stderr}");
}

/// Depth, activation, momentum, per-model overrides and presets: each wrong value is refused
/// before training, naming the option or the model and what it accepts.
#[test]
fn depth_settings_and_model_overrides_are_named_when_wrong() {
    let refused = |args: &[&str], needle: &str| {
        let (ok, stdout, stderr) = lab(&[&["compare", "--backend", "cpu"], args].concat());
        assert!(!ok && stdout.is_empty(), "{args:?}: {stdout}");
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
    };
    refused(&["--hidden", "256x33"], "--hidden 256x33: more than 32 hidden layers");
    refused(&["--hidden", "256,x3"], "--hidden 256,x3: `x3`: the width must be a whole number");
    refused(&["--hidden", "0"], "hidden layers: a hidden layer of 0 units (0): each needs 1 to 1024 units");
    refused(&["--hidden", "2048"], "hidden layers: a hidden layer of 2048 units");
    refused(&["--activation", "swish"], "[possible values: relu, leaky-relu, tanh, sigmoid, linear]");
    refused(&["--momentum", "0.9"], "momentum (0.9) is SGD's; Adam keeps its own");
    refused(&["--optimizer", "sgd", "--momentum", "1"], "the momentum must be in [0, 1), not 1");
    refused(&["--init", "he-normal@swish"], "initializer `he-normal@swish`: unknown setting `swish` after `@`");
    refused(&["--init", "he-normal,xavier-normal@256x40"], "hidden widths `256x40`: more than 32 hidden layers");
    refused(&["--preset", "nope"], "unknown preset `nope`; the presets are:");
    refused(&["--preset", "he-2015", "--lr", "0.1"], "cannot be used with");
    let (ok, _, stderr) = lab(&["compare", "--preset", "list"]);
    assert!(!ok && stderr.contains("he-2015") && stderr.contains("cs231n-tanh"), "{stderr}");
}

/// A run of models of different depths and activations prints each one's signal at step 0
/// under the table, and the JSON carries it whole with each model's resolved settings.
#[test]
fn a_mixed_depth_run_prints_and_exports_its_signal() {
    let (stdout, doc) = compare_json(&[
        "--live-validation",
        "0",
        "--hidden",
        "32x8",
        "--init",
        "xavier-normal,he-normal@tanh+sgd+lr=0.01+16x3",
    ]);
    assert!(stdout.contains("signal at step 0"), "{stdout}");
    assert!(stdout.contains("He/Kaiming normal (tanh, sgd, 16x3 hidden, lr 0.01)"), "{stdout}");
    assert_eq!(doc["signal"][0]["act_std"].as_array().unwrap().len(), 8);
    assert_eq!(doc["signal"][1]["act_std"].as_array().unwrap().len(), 3);
    assert_eq!(doc["signal"][1]["grad_rms"].as_array().unwrap().len(), 4);
    assert_eq!(doc["models"][1]["activation"], "tanh");
    assert_eq!(doc["models"][1]["hidden"], serde_json::json!([16, 16, 16]));
    assert_eq!(doc["initializers"][1], "he-normal@tanh+sgd+16x3+lr=0.01");
    let accuracy = doc["results"][1]["val_accuracy"].as_f64().unwrap();
    assert!(accuracy > 0.6, "a shallow tanh net with SGD learns in an epoch: {accuracy}");
}

#[test]
fn a_diverged_model_row_and_json_say_where() {
    let dir = tempfile::tempdir().unwrap();
    let (json, events) = (dir.path().join("run.json"), dir.path().join("run.jsonl"));
    let (ok, stdout, stderr) = lab(&[
        "compare",
        "--backend",
        "cpu",
        "--epochs",
        "1",
        "--optimizer",
        "sgd",
        "--lr",
        "10",
        "--init",
        "general-rule,general-rule@lr=0.05",
        "--json",
        json.to_str().unwrap(),
        "--events",
        events.to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let divergence = doc["divergence"].as_array().expect("a `divergence` entry per model");
    assert!(divergence[1].is_null(), "lr 0.05 trains: {}", divergence[1]);
    let (step, layer) = (divergence[0]["step"].as_u64().unwrap(), divergence[0]["layer"].as_u64().unwrap());
    let losses = doc["history"]["losses"][0].as_array().unwrap();
    assert_eq!(losses.iter().position(|l| l.is_null()).map(|i| i as u64 + 1), Some(step), "first null loss");
    assert!(divergence[0]["max_abs"].as_f64().is_some_and(|v| v > 0.0), "{}", divergence[0]);
    let row = stdout.lines().find(|l| l.starts_with("General rule") && l.contains("diverged")).unwrap_or_default();
    assert!(row.ends_with(&format!("diverged at step {step}, layer {layer}")), "the row: {row}\n{stdout}");
    let calm = stdout.lines().filter(|l| l.starts_with("General rule")).nth(1).unwrap_or_default();
    assert!(!calm.contains("diverged"), "the model that trains: {calm}");
    // `--events` tells it once, as `--json` has it.
    let told: Vec<serde_json::Value> = std::fs::read_to_string(&events)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .filter(|e| e["type"] == "diverged")
        .collect();
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!((told[0]["model"].as_u64(), told[0]["step"].as_u64()), (Some(0), Some(step)));
    assert_eq!(told[0]["layer"], divergence[0]["layer"]);
}

/// A model in a named state says so at the end of its row, in the page's words, and `--json`
/// carries each model's states (`[]` for one that trains).
#[test]
fn a_stuck_model_row_and_json_name_its_state() {
    let (stdout, doc) = compare_json(&["--live-validation", "0", "--hidden", "16,16", "--init", "zeros,he-normal"]);
    let row = stdout.lines().find(|l| l.starts_with("All Zeros")).unwrap_or_default();
    let words = "no gradient reaches the weights of layers 1–3; every ReLU of layers 1–2 is dead";
    assert!(row.ends_with(words), "the row: {row}\n{stdout}");
    let he = stdout.lines().find(|l| l.starts_with("He/Kaiming normal")).unwrap_or_default();
    assert!(!he.contains("gradient") && !he.contains("dead"), "the model that trains: {he}");
    let stuck = serde_json::json!([{"kind": "no_gradient", "up_to": 3}, {"kind": "dead_relus", "layers": [1, 2]}]);
    assert_eq!(doc["states"], serde_json::json!([stuck, []]));
    assert_eq!(doc["signal"][0]["states"], stuck, "the signal at step 0 carries them too");
}
