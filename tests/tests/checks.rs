//! The model checks of `checks/checks.toml` hold, and the snapshot of every preset's headline
//! figures (`checks/snapshot.json`) is the model's: a change that moves a figure updates the
//! snapshot in the same commit (`cargo xtask model-check --compare`, then `--update`).

use atlas_scenario_tests::{checks, snapshot};

#[test]
fn every_model_check_holds() {
    let checks = checks::load().expect("the checks file reads");
    let report = checks::run(&checks).expect("the checks file is consistent");
    assert!(report.passed(), "model checks failed:\n{}", report.text());
    assert!(report.outcomes.iter().all(|o| o.scenarios > 0), "every check runs on some scenario");
}

#[test]
fn the_matrix_covers_every_preset_and_slider_end() {
    let checks = checks::load().expect("the checks file reads");
    let cases = checks::matrix_cases(&checks.matrix).expect("the matrix builds");
    let presets = atlas_core::data::default_data().scenario_presets.len();
    let sliders = atlas_core::params::PARAMS.iter().filter(|p| p.slider.is_some()).count();
    assert!(checks.matrix.sliders && sliders >= 15, "every slider of the table is checked ({sliders})");
    assert!(cases.len() >= presets * (1 + 2 * sliders), "{} cases", cases.len());
    for preset in &atlas_core::data::default_data().scenario_presets {
        assert!(cases.iter().any(|c| c.label == format!("preset {}", preset.id)), "{}", preset.id);
        for p in atlas_core::params::PARAMS.iter().filter(|p| p.slider.is_some()) {
            let prefix = format!("preset {}, {} = ", preset.id, p.key);
            assert_eq!(cases.iter().filter(|c| c.label.starts_with(&prefix)).count(), 2, "{prefix}");
        }
    }
}

#[test]
fn the_snapshot_is_the_models() {
    let committed = snapshot::committed().expect("the snapshot reads");
    let rows = snapshot::compare(&committed, &snapshot::current());
    let moved: Vec<&snapshot::Row> = rows.iter().filter(|r| r.moved()).collect();
    assert!(
        moved.is_empty(),
        "{} headline figures differ from tests/checks/snapshot.json. If the change is intended, run \
         `cargo xtask model-check --compare`, then `cargo xtask model-check --update`, and commit the \
         snapshot with the change, saying why the figures moved:\n{}",
        moved.len(),
        snapshot::table(&rows)
    );
}
