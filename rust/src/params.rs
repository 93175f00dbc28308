//! The model's settings: the constants of untangle.engine, passed in by Python on every fit so
//! that the Python module stays their one home (a test or a tuning run that changes one there
//! changes the compiled fit too). `Default` holds today's values, for Rust's own tests.

#[derive(Clone, Copy, Debug)]
pub struct Params {
    /// Weight of the language model's log-probabilities (its "scale").
    pub context_weight: f64,
    /// Prior spin level per key class: bare, inflected, capitalised, attached.
    pub prior_spin_by_class: [f64; 4],
    pub prior_spin_weight: f64,
    pub min_spun_level: f64,
    pub min_spun_band: usize,
    pub max_spin: f64,
    pub max_word_evidence: f64,
    pub leak: f64,
    pub burstiness: f64,
    pub pi_pseudo_count: f64,
    pub written_pseudo_count: f64,
    pub pick_start: f64,
    pub pick_pseudo_count: f64,
    pub reverse_preselect: usize,
    pub right_alternatives: usize,
    pub preselect: usize,
    pub max_candidates: usize,
    pub hopeless: f64,
    pub joint_floor: f64,
    pub unknown_origin_share: f64,
    pub prior_document_spun: f64,
    /// (prior, share of paragraphs spun): clean, a page, spun throughout.
    pub document_kinds: [(f64, f64); 3],
    pub em_iterations: usize,
    pub negligible: f64,
    pub low_rate_scale: f64,
    pub low_rate_min_odd_types: usize,
    pub low_rate_penalty: f64,
    pub hold_back_floor: f64,
    pub guess_max_as_written: f64,
    pub guess_share: f64,
    pub guess_max_type_as_written: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            context_weight: 0.6,
            prior_spin_by_class: [0.3, 0.03, 0.02, 0.1],
            prior_spin_weight: 5.0,
            min_spun_level: 0.2,
            min_spun_band: 2,
            max_spin: 0.95,
            max_word_evidence: 3.0,
            leak: 0.05,
            burstiness: 0.5,
            pi_pseudo_count: 2.0,
            written_pseudo_count: 1.0,
            pick_start: 0.02,
            pick_pseudo_count: 5.0,
            reverse_preselect: 8,
            right_alternatives: 2,
            preselect: 6,
            max_candidates: 4,
            hopeless: -12.0,
            joint_floor: 0.01,
            unknown_origin_share: 0.03,
            prior_document_spun: 0.2,
            document_kinds: [(0.65, 0.002), (0.15, 0.3), (0.2, 0.95)],
            em_iterations: 2,
            negligible: 1e-3,
            low_rate_scale: 0.2,
            low_rate_min_odd_types: 2,
            low_rate_penalty: std::f64::consts::LN_2 + 3.0,
            hold_back_floor: 0.2,
            guess_max_as_written: 0.1,
            guess_share: 0.4,
            guess_max_type_as_written: 0.5,
        }
    }
}
