//! Export-control rules: accelerator (family or model) × destination (group or region) →
//! allowed, banned, or capped at N H100-equivalents per year.
//!
//! **The most specific matching rule wins**: a rule naming a model beats one naming a family, which
//! beats `*`; at equal accelerator specificity a rule naming a region beats one naming a group,
//! which beats `*`. Between equally specific rules the later one wins. A rule with `from_year`
//! applies from the first quarter of that year on. With no matching rule, export is allowed.
//!
//! A cap counts the H100-equivalents newly installed, per destination region and calendar year, of
//! every accelerator the capping rule governs.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Architecture family of an accelerator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// Nvidia Ampere (A100).
    Ampere,
    /// Nvidia Hopper (H100, H200).
    Hopper,
    /// Nvidia Blackwell (B200, GB200).
    Blackwell,
    /// Nvidia Blackwell Ultra (B300, GB300).
    BlackwellUltra,
    /// Nvidia Rubin (Vera Rubin, Rubin Ultra).
    Rubin,
    /// Nvidia Feynman and the Nvidia generations projected after it.
    Feynman,
    /// AMD Instinct (MI300X, MI355X, MI450, MI500).
    Instinct,
    /// Google TPU.
    Tpu,
    /// AWS Trainium.
    Trainium,
    /// OpenAI's own accelerator, designed with and built by Broadcom (a US design, so US export
    /// controls govern it).
    OpenaiAsic,
    /// Huawei Ascend and other Chinese accelerators: AI compute made in China, outside US export
    /// controls (no rule can name them, `*` does not match them), and not in [`Family::ALL`].
    Domestic,
    /// Conventional (CPU) servers with their storage and network share: data-centre load that is
    /// not AI compute. Below the export-control thresholds, so no `*` rule governs them, and not
    /// in [`Family::ALL`].
    Conventional,
}

impl Family {
    /// Every export-controlled family, in order (the rows of the export matrix).
    pub const ALL: [Family; 10] = [
        Family::Ampere,
        Family::Hopper,
        Family::Blackwell,
        Family::BlackwellUltra,
        Family::Rubin,
        Family::Feynman,
        Family::Instinct,
        Family::Tpu,
        Family::Trainium,
        Family::OpenaiAsic,
    ];

    /// The identifier used in files and URLs (`blackwell_ultra`).
    pub fn id(self) -> &'static str {
        match self {
            Family::Ampere => "ampere",
            Family::Hopper => "hopper",
            Family::Blackwell => "blackwell",
            Family::BlackwellUltra => "blackwell_ultra",
            Family::Rubin => "rubin",
            Family::Feynman => "feynman",
            Family::Instinct => "instinct",
            Family::Tpu => "tpu",
            Family::Trainium => "trainium",
            Family::OpenaiAsic => "openai_asic",
            Family::Domestic => "domestic",
            Family::Conventional => "conventional",
        }
    }

    /// Display name.
    pub fn label(self) -> &'static str {
        match self {
            Family::Ampere => "Ampere",
            Family::Hopper => "Hopper",
            Family::Blackwell => "Blackwell",
            Family::BlackwellUltra => "Blackwell Ultra",
            Family::Rubin => "Rubin",
            Family::Feynman => "Feynman and later",
            Family::Instinct => "Instinct",
            Family::Tpu => "TPU",
            Family::Trainium => "Trainium",
            Family::OpenaiAsic => "OpenAI (Broadcom)",
            Family::Domestic => "Chinese domestic",
            Family::Conventional => "Conventional servers",
        }
    }

    /// The family it is a sub-generation of, whose rules cover it too: Blackwell Ultra (B300,
    /// GB300) is Blackwell's mid-life refresh, sold under the same name and named with it in the
    /// November 2025 statements, so a rule on `blackwell` governs it unless a rule on
    /// `blackwell_ultra` says otherwise. Rubin Ultra and the parts projected after Feynman are
    /// members of their families already.
    pub fn parent(self) -> Option<Family> {
        match self {
            Family::BlackwellUltra => Some(Family::Blackwell),
            _ => None,
        }
    }

    /// Whether a rule on family `rule` governs this family: its own, or its parent's.
    pub fn is_covered_by(self, rule: Family) -> bool {
        self == rule || self.parent() == Some(rule)
    }

    /// Whether US export controls cover the family (every family but Chinese domestic chips and
    /// conventional servers).
    pub fn is_export_controlled(self) -> bool {
        !matches!(self, Family::Conventional | Family::Domestic)
    }

    /// Whether the family is AI compute (every family but conventional servers): it counts as
    /// accelerators and H100-equivalents.
    pub fn is_ai(self) -> bool {
        self != Family::Conventional
    }

    /// The export-controlled family with the given identifier.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.id() == id)
    }
}

/// Export-control destination group, after the US rules' country tiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportGroup {
    /// The United States.
    Us,
    /// Close allies (the AI Diffusion Rule's Tier 1 partners).
    CloseAllies,
    /// The middle tier (Tier 2; Country Groups D:1/D:4 outside D:5).
    MiddleTier,
    /// Arms-embargoed destinations (Tier 3; Country Group D:5, China included).
    Embargoed,
}

impl ExportGroup {
    /// Every group, in order.
    pub const ALL: [ExportGroup; 4] =
        [ExportGroup::Us, ExportGroup::CloseAllies, ExportGroup::MiddleTier, ExportGroup::Embargoed];

    /// The identifier used in files and URLs.
    pub fn id(self) -> &'static str {
        match self {
            ExportGroup::Us => "us",
            ExportGroup::CloseAllies => "close_allies",
            ExportGroup::MiddleTier => "middle_tier",
            ExportGroup::Embargoed => "embargoed",
        }
    }

    /// Display name.
    pub fn label(self) -> &'static str {
        match self {
            ExportGroup::Us => "United States",
            ExportGroup::CloseAllies => "Close allies (Tier 1)",
            ExportGroup::MiddleTier => "Middle tier (Tier 2)",
            ExportGroup::Embargoed => "Embargoed (Tier 3)",
        }
    }

    /// Short display name, for a table's column heading.
    pub fn short_label(self) -> &'static str {
        match self {
            ExportGroup::Us => "US",
            ExportGroup::CloseAllies => "Allies",
            ExportGroup::MiddleTier => "Middle",
            ExportGroup::Embargoed => "Embargo",
        }
    }

    /// The group with the given identifier.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.id() == id)
    }

    /// Position in [`ExportGroup::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Which accelerators a rule governs: `*`, `family:<family>` or `model:<accelerator id>`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum AcceleratorSelector {
    /// Every export-controlled accelerator (conventional servers are not).
    Any,
    /// Every accelerator of one family.
    Family(Family),
    /// One accelerator model, by id.
    Model(String),
}

/// Where a rule applies: `*`, `group:<export group>` or `region:<region id>`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum DestinationSelector {
    /// Every region.
    Any,
    /// Every region of one export group.
    Group(ExportGroup),
    /// One region, by id.
    Region(String),
}

/// What a rule does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Export is allowed (overrides a less specific ban).
    Allow,
    /// Export is banned.
    Ban,
    /// Export is allowed up to `cap_h100e_per_year` H100-equivalents per region and year.
    Cap,
}

/// One export-control rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportRule {
    /// The accelerators it governs.
    pub accelerators: AcceleratorSelector,
    /// The destinations it governs.
    pub destination: DestinationSelector,
    /// Allow, ban or cap.
    pub action: Action,
    /// The cap, H100-equivalents per destination region and year; required when `action` is `cap`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap_h100e_per_year: Option<f64>,
    /// First year the rule applies; absent means every year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_year: Option<i32>,
}

impl ExportRule {
    /// A rule with no start year and no cap.
    pub fn new(accelerators: AcceleratorSelector, destination: DestinationSelector, action: Action) -> Self {
        Self { accelerators, destination, action, cap_h100e_per_year: None, from_year: None }
    }

    /// Specificity used to choose between matching rules for an accelerator of `family` (higher
    /// wins): accelerators first (`*` < its parent family < its own family < its model), then
    /// destinations (`*` < a group < a region).
    pub fn specificity(&self, family: Family) -> u8 {
        let a = match self.accelerators {
            AcceleratorSelector::Any => 0,
            AcceleratorSelector::Family(f) if f != family => 1,
            AcceleratorSelector::Family(_) => 2,
            AcceleratorSelector::Model(_) => 3,
        };
        let d = match self.destination {
            DestinationSelector::Any => 0,
            DestinationSelector::Group(_) => 1,
            DestinationSelector::Region(_) => 2,
        };
        a * 3 + d
    }

    /// Whether the rule governs an accelerator (by id and family) in a region (by id and group)
    /// in a given year.
    pub fn matches(
        &self,
        accel_id: &str,
        family: Family,
        region_id: &str,
        group: ExportGroup,
        year: i32,
    ) -> bool {
        if self.from_year.is_some_and(|from| year < from) {
            return false;
        }
        let accel_ok = match &self.accelerators {
            AcceleratorSelector::Any => family.is_export_controlled(),
            AcceleratorSelector::Family(f) => family.is_covered_by(*f),
            AcceleratorSelector::Model(id) => id == accel_id,
        };
        let dest_ok = match &self.destination {
            DestinationSelector::Any => true,
            DestinationSelector::Group(g) => *g == group,
            DestinationSelector::Region(id) => id == region_id,
        };
        accel_ok && dest_ok
    }
}

/// The index of the rule that decides for an accelerator in a region in a year, if any rule
/// matches: the most specific one, the later one among equals.
pub fn deciding_rule(
    rules: &[ExportRule],
    accel_id: &str,
    family: Family,
    region_id: &str,
    group: ExportGroup,
    year: i32,
) -> Option<usize> {
    let mut best: Option<(u8, usize)> = None;
    for (i, rule) in rules.iter().enumerate() {
        if rule.matches(accel_id, family, region_id, group, year) {
            let s = rule.specificity(family);
            if best.is_none_or(|(bs, _)| s >= bs) {
                best = Some((s, i));
            }
        }
    }
    best.map(|(_, i)| i)
}

impl fmt::Display for AcceleratorSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AcceleratorSelector::Any => f.write_str("*"),
            AcceleratorSelector::Family(fam) => write!(f, "family:{}", fam.id()),
            AcceleratorSelector::Model(id) => write!(f, "model:{id}"),
        }
    }
}

impl FromStr for AcceleratorSelector {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.split_once(':') {
            _ if s == "*" => Ok(Self::Any),
            Some(("family", id)) => Family::from_id(id).map(Self::Family).ok_or_else(|| {
                let known: Vec<_> = Family::ALL.iter().map(|f| f.id()).collect();
                format!("unknown accelerator family `{id}`; known families: {}", known.join(", "))
            }),
            Some(("model", id)) if !id.is_empty() => Ok(Self::Model(id.to_string())),
            _ => Err(format!(
                "`{s}` does not name accelerators; write `*`, `family:<family>` or `model:<accelerator id>`"
            )),
        }
    }
}

impl fmt::Display for DestinationSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DestinationSelector::Any => f.write_str("*"),
            DestinationSelector::Group(g) => write!(f, "group:{}", g.id()),
            DestinationSelector::Region(id) => write!(f, "region:{id}"),
        }
    }
}

impl FromStr for DestinationSelector {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.split_once(':') {
            _ if s == "*" => Ok(Self::Any),
            Some(("group", id)) => ExportGroup::from_id(id).map(Self::Group).ok_or_else(|| {
                let known: Vec<_> = ExportGroup::ALL.iter().map(|g| g.id()).collect();
                format!("unknown export group `{id}`; known groups: {}", known.join(", "))
            }),
            Some(("region", id)) if !id.is_empty() => Ok(Self::Region(id.to_string())),
            _ => Err(format!(
                "`{s}` does not name a destination; write `*`, `group:<export group>` or `region:<region id>`"
            )),
        }
    }
}

macro_rules! string_serde {
    ($t:ty) => {
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

string_serde!(AcceleratorSelector);
string_serde!(DestinationSelector);

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(a: &str, d: &str, action: Action) -> ExportRule {
        ExportRule::new(a.parse().unwrap(), d.parse().unwrap(), action)
    }

    #[test]
    fn selectors_round_trip() {
        for s in ["*", "family:blackwell_ultra", "model:b200"] {
            assert_eq!(s.parse::<AcceleratorSelector>().unwrap().to_string(), s);
        }
        for s in ["*", "group:embargoed", "region:china"] {
            assert_eq!(s.parse::<DestinationSelector>().unwrap().to_string(), s);
        }
        assert!("family:pascal".parse::<AcceleratorSelector>().unwrap_err().contains("pascal"));
        assert!("blackwell".parse::<AcceleratorSelector>().is_err());
        assert!("group:mars".parse::<DestinationSelector>().is_err());
        assert!("region:".parse::<DestinationSelector>().is_err());
    }

    #[test]
    fn most_specific_rule_wins_then_the_later() {
        let rules = vec![
            rule("*", "group:embargoed", Action::Ban),
            rule("model:h20", "group:embargoed", Action::Allow),
            rule("family:hopper", "*", Action::Ban),
            rule("family:hopper", "*", Action::Allow),
        ];
        let d = |id, fam| deciding_rule(&rules, id, fam, "china", ExportGroup::Embargoed, 2025);
        assert_eq!(d("h20", Family::Hopper), Some(1));
        assert_eq!(d("b200", Family::Blackwell), Some(0));
        // family beats "*" even though the "*" rule names a group: accelerator specificity first.
        assert_eq!(d("h100", Family::Hopper), Some(3));
        assert_eq!(deciding_rule(&rules, "b200", Family::Blackwell, "us_east", ExportGroup::Us, 2025), None);
    }

    #[test]
    fn a_rule_for_every_accelerator_leaves_conventional_servers_alone() {
        let rules = vec![rule("*", "group:embargoed", Action::Ban)];
        let d = |id, fam| deciding_rule(&rules, id, fam, "china", ExportGroup::Embargoed, 2025);
        assert_eq!(d("h100", Family::Hopper), Some(0));
        assert_eq!(d("cpu_server", Family::Conventional), None, "no rule decides: allowed");
        assert!(!Family::ALL.contains(&Family::Conventional), "not a row of the export matrix");
        assert!("family:conventional".parse::<AcceleratorSelector>().is_err());
    }

    #[test]
    fn a_ban_on_blackwell_covers_blackwell_ultra_unless_a_rule_on_it_says_otherwise() {
        let mut rules = vec![rule("family:blackwell", "group:embargoed", Action::Ban)];
        let d = |rules: &[ExportRule], id, fam| {
            deciding_rule(rules, id, fam, "china", ExportGroup::Embargoed, 2026).map(|i| rules[i].action)
        };
        assert_eq!(d(&rules, "gb300", Family::BlackwellUltra), Some(Action::Ban));
        assert_eq!(d(&rules, "b200", Family::Blackwell), Some(Action::Ban));
        assert_eq!(d(&rules, "vera_rubin", Family::Rubin), None);
        // A rule on the sub-generation itself is more specific than one on its parent, whatever
        // their order.
        rules.insert(0, rule("family:blackwell_ultra", "group:embargoed", Action::Allow));
        assert_eq!(d(&rules, "gb300", Family::BlackwellUltra), Some(Action::Allow));
        assert_eq!(d(&rules, "b200", Family::Blackwell), Some(Action::Ban));
        // A parent's rule for a region beats a sub-generation's rule for nothing more specific
        // than `*`: accelerators first, so the sub-generation's own rule still wins.
        rules.push(rule("family:blackwell", "region:china", Action::Ban));
        assert_eq!(d(&rules, "gb300", Family::BlackwellUltra), Some(Action::Allow));
        // A rule on Blackwell Ultra does not reach Blackwell.
        let ultra_only = vec![rule("family:blackwell_ultra", "*", Action::Ban)];
        assert_eq!(d(&ultra_only, "b200", Family::Blackwell), None);
    }

    #[test]
    fn from_year_delays_a_rule() {
        let mut r = rule("family:blackwell", "*", Action::Ban);
        r.from_year = Some(2026);
        assert!(!r.matches("b200", Family::Blackwell, "x", ExportGroup::Us, 2025));
        assert!(r.matches("b200", Family::Blackwell, "x", ExportGroup::Us, 2026));
    }
}
