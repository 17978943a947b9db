//! Sentences for people, kept as data: an id and its values. The core words a [`Message`] in
//! English ([`Message::english`], what the command line and files show); the page words the same
//! message in the reader's language from its catalogue (`msg.<id>`, with the same
//! `{placeholders}`; a test in the page holds its English to [`ENGLISH`]).
//!
//! A value is text as it is, a number (written the English way here; the page writes it the
//! reader's way), a name from the data (the page translates the data's own names), another
//! message (a part of a sentence), or a list of messages.

use std::fmt;

/// One value of a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    /// Text shown as it is (a year, a link's parameter as given, an id).
    Text(String),
    /// A number, written the English way (`1,234.5`); a reader's language writes it its own way.
    Number(String),
    /// A name from the data: its kind (`region`, `provider`, `preset`, `policy`, `group`,
    /// `family`), its id and the name as the scenario has it.
    Name {
        /// `region`, `provider`, `accelerator`, `preset`, `policy`, `group` or `family`.
        kind: &'static str,
        /// The entity's id.
        id: String,
        /// Its name in the scenario (the data's, or a file's own).
        name: String,
    },
    /// A part of the sentence that is a message of its own.
    Part(Box<Message>),
    /// Several messages, joined as a list (`, ` in English).
    List(Vec<Message>),
}

/// A sentence as an id (a key of [`ENGLISH`]) and its values.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Message {
    /// Which sentence (`naming.edited`, `plan.binds`).
    pub id: &'static str,
    /// The values of its `{placeholders}`, by name.
    pub args: Vec<(&'static str, Arg)>,
}

impl Message {
    /// A message with no values.
    pub fn new(id: &'static str) -> Message {
        Message { id, args: Vec::new() }
    }

    /// Adds a value shown as it is.
    pub fn text(mut self, name: &'static str, value: impl Into<String>) -> Message {
        self.args.push((name, Arg::Text(value.into())));
        self
    }

    /// Adds a number, written by [`crate::format::format_value`] in English.
    pub fn number(mut self, name: &'static str, value: f64) -> Message {
        self.args.push((name, Arg::Number(crate::format::format_value(value))));
        self
    }

    /// Adds a number already written in English (fixed decimals: `12.5`, `40`).
    pub fn written(mut self, name: &'static str, value: impl Into<String>) -> Message {
        self.args.push((name, Arg::Number(value.into())));
        self
    }

    /// Adds a name from the data.
    pub fn name(mut self, name: &'static str, kind: &'static str, id: &str, shown: &str) -> Message {
        self.args.push((name, Arg::Name { kind, id: id.to_string(), name: shown.to_string() }));
        self
    }

    /// Adds a part of the sentence.
    pub fn part(mut self, name: &'static str, part: Message) -> Message {
        self.args.push((name, Arg::Part(Box::new(part))));
        self
    }

    /// Adds a list of messages.
    pub fn list(mut self, name: &'static str, items: Vec<Message>) -> Message {
        self.args.push((name, Arg::List(items)));
        self
    }

    /// The message in English.
    pub fn english(&self) -> String {
        self.fill(english(self.id), &|arg| match arg {
            Arg::Text(t) | Arg::Number(t) => t.clone(),
            Arg::Name { name, .. } => name.clone(),
            Arg::Part(m) => m.english(),
            Arg::List(items) => items.iter().map(Message::english).collect::<Vec<_>>().join(", "),
        })
    }

    /// `template` with each `{name}` replaced by its value as `word` writes it, in one pass (a
    /// value that itself holds `{…}` is left as it is); a slot with no value stays as written.
    pub fn fill(&self, template: &str, word: &dyn Fn(&Arg) -> String) -> String {
        fill(template, |name| self.args.iter().find(|(n, _)| *n == name).map(|(_, arg)| word(arg)))
    }
}

/// `template` with each `{name}` replaced by `value(name)`, in one pass: what a value holds is
/// never read as a slot. A slot `value` knows nothing of stays as written.
pub fn fill(template: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
        out.push_str(&rest[..open]);
        match value(&rest[open + 1..close]) {
            Some(v) => out.push_str(&v),
            None => out.push_str(&rest[open..=close]),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// A message is written into JSON as its English words (what the command line's files hold).
impl serde::Serialize for Message {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.english())
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.english())
    }
}

/// The English words of message `id` (the id itself for an unknown one, which a test rules out).
pub fn english(id: &str) -> &'static str {
    ENGLISH.iter().find(|(i, _)| *i == id).map_or("", |(_, t)| t)
}

/// Every message's English words, by id.
pub const ENGLISH: &[(&str, &str)] = &[
    // A scenario's name (naming.rs).
    ("naming.edited", "{preset}, edited: {changes}"),
    ("naming.edited_more", "{preset}, edited: {changes} and {more} more"),
    ("naming.described", "{description} Changed here: {changes}."),
    ("change.base", "base {name}"),
    ("change.years", "years {start}–{end}"),
    ("change.energy", "energy {v}×"),
    ("change.carbon", "carbon ${v}/t"),
    ("change.grid", "grid decarbonisation {v}×"),
    ("change.life", "hardware life {v} years"),
    ("change.flife", "building life {v} years"),
    ("change.wacc", "cost of capital {v}%"),
    ("change.util", "utilisation {v}%"),
    ("change.idle", "idle power {v}%"),
    ("change.infer", "inference {v}% of compute"),
    ("change.gain", "inference {v}× as efficient"),
    ("change.build", "capital {v}×"),
    ("change.trend_w", "compute per watt +{v}%/yr"),
    ("change.trend_usd", "compute per dollar +{v}%/yr"),
    ("change.supply", "China's chip supply {v}×"),
    ("change.leak", "leakage {v}%"),
    ("change.unc", "uncertainty {v}×"),
    ("change.draws", "{v} draws"),
    ("change.seed", "seed {v}"),
    ("change.basis", "market-based carbon"),
    ("change.redirect", "banned money downgrades"),
    ("change.siting", "cheap-and-clean siting"),
    ("change.plan", "a planned build-out"),
    ("change.policy", "export rules: {policy}"),
    ("change.policy_edited", "export rules edited"),
    ("change.shares", "provider shares"),
    ("change.price", "{region} power ${v}/MWh"),
    ("change.price_unset", "{region} power price"),
    ("change.other", "{key}"),
    // A policy's exceptions for single chips (edit.rs).
    ("exception", "{chip}: {action} in {group}"),
    ("exception.from", "{chip}: {action} in {group} from {year}"),
    ("exception.allowed", "allowed"),
    ("exception.banned", "banned"),
    ("exception.capped", "capped at {cap} H100e a year"),
    // Why a plan is what it is (plan.rs).
    ("plan.binds", "{what} binds in {when}; {lift} {effect}."),
    ("plan.what.target", "The capacity path"),
    ("plan.what.budget", "The yearly budget"),
    ("plan.what.share", "The {share}% share bound on {provider}"),
    ("plan.what.power", "The {region} power limit"),
    ("plan.what.cap", "The export cap in {region}"),
    ("plan.what.supply", "China's domestic accelerator supply"),
    ("plan.what.room", "The room in standing buildings"),
    ("plan.lift.target", "a path 5% lower"),
    ("plan.lift.raise", "raising it by 10%"),
    ("plan.lift.share", "allowing {share}%"),
    ("plan.lift.power", "lifting it by 1 GW a year"),
    ("plan.lift.room", "more of it"),
    ("plan.effect.unknown", "could not be worked out"),
    ("plan.effect.nothing", "would change nothing on its own (another constraint binds too)"),
    ("plan.effect.save", "would save USD {v} bn"),
    ("plan.effect.cost", "would cost USD {v} bn more"),
    ("plan.effect.add_compute", "would add {v} H100e-years"),
    ("plan.effect.lose_compute", "would lose {v} H100e-years"),
    ("plan.effect.cut_carbon", "would cut {v} Mt CO2e"),
    ("plan.effect.add_carbon", "would add {v} Mt CO2e"),
    (
        "plan.review.carbon",
        "The plan emits {pct}% more over the span than your scenario: {after} against {before} Mt CO2e of operational carbon (location-based), because it builds where power or cooling is cheaper.",
    ),
    (
        "plan.review.water",
        "The plan consumes {pct}% more over the span than your scenario: {after} against {before} GL of water, because it builds where power or cooling is cheaper.",
    ),
    (
        "plan.review.middle",
        "The plan puts {after}% of the end capacity in the middle tier (licences case by case), against {before}% in your scenario: more exposure to export rules.",
    ),
    (
        "plan.review.embargoed",
        "The plan puts {after}% of the end capacity in embargoed countries, against {before}% in your scenario: more exposure to export rules.",
    ),
    (
        "plan.review.tie",
        "Near-tie: lifting the share bound on {provider} would change the objective by only {v} {unit} ({pct}%); which provider takes that capital is close to a coin toss, and the plan keeps to your own split where it can.",
    ),
    ("plan.unit.cost", "USD bn"),
    ("plan.unit.compute", "H100e-years"),
    ("plan.unit.carbon", "Mt CO2e"),
    ("plan.err.no_provider", "no provider `{id}`; providers are {known}"),
    ("plan.err.one_provider", "the plan needs at least one provider"),
    ("plan.err.share", "the largest provider share must be more than 0% and at most 100% (got {v})"),
    ("plan.err.power", "the power limit must be 0 GW or more (got {v})"),
    ("plan.err.target", "the capacity target must be 0 or more (got {v})"),
    (
        "plan.err.budget",
        "\"{name}\" builds to a capacity path, not a budget; the planner needs a yearly budget",
    ),
    (
        "plan.err.budget_or_off",
        "\"{name}\" builds to a capacity path, not a budget; the planner needs a yearly budget (or turn the budget bound off)",
    ),
    (
        "plan.err.shares_too_low",
        "with {count} provider(s) and none above {share}%, no capital can be placed at all ({count} × {share}% is less than 100%); raise the bound to at least {min}% or allow more providers",
    ),
    ("plan.err.unbounded", "the objective has no bound: maximising compute needs the yearly budget"),
    ("plan.err.solver", "the solver failed: {why}"),
    ("plan.err.cannot_buy", "{provider} cannot buy {accelerator} in {region} in {year}"),
    (
        "plan.err.kept",
        "the capital the plan keeps as it is (conventional IT, at the scenario's own spending) does not fit these limits: {limits}",
    ),
    (
        "plan.err.kept_any",
        "the capital the plan keeps as it is (conventional IT, at the scenario's own spending) does not fit the constraints",
    ),
    (
        "plan.err.no_allocation",
        "no allocation satisfies every constraint together, although each year's capacity target is reachable on its own",
    ),
    (
        "plan.err.short",
        "the capacity target of {target} at the end of {year} exceeds the {max} that the allowed providers, regions and accelerators can reach by then under these constraints",
    ),
    (
        "plan.err.short_limited",
        "the capacity target of {target} at the end of {year} exceeds the {max} that the allowed providers, regions and accelerators can reach by then; limited by {limits}",
    ),
    ("plan.err.without", "{limit} ({reach} without it)"),
    ("plan.err.reach", "{v} H100e"),
    ("plan.err.no_limit", "no limit"),
    ("plan.limit.budget", "the yearly budget"),
    ("plan.limit.shares", "the provider-share bound"),
    ("plan.limit.power", "the power limits"),
    ("plan.limit.caps", "the export caps and the domestic supply"),
    // What happened to a link's parameters (url.rs).
    ("url.too_long", "the query is longer than {max} characters; the rest was ignored"),
    ("url.unknown_preset", "unknown preset; presets are {known}"),
    ("url.repeated", "“{key}” appears more than once; the last value, “{value}”, was used"),
    (
        "url.no_version",
        "the link names no format version (v=); it was read as format {version}, this version's",
    ),
    ("url.not_number", "“{value}” is not a number; “{key}” kept its default"),
    (
        "url.newer",
        "this link comes from a newer Compute Atlas (format {v}); it was read as format {version}, and parameters this version does not know are listed here",
    ),
    ("url.unknown_version", "unknown format version; read as format {version}"),
    ("url.not_year", "“{value}” is not a year; “{key}” kept its default"),
    ("url.unknown_base", "unknown base scenario; bases are {known}"),
    ("url.left_out", "left out: {why}"),
    ("url.draws", "expected a whole number of draws; kept the default"),
    ("url.seed", "expected a whole number from 0 to {max}; kept the default seed"),
    ("url.basis", "expected “location” or “market”; kept “location”"),
    ("url.siting", "expected “announced” or “cheap_clean”; kept “announced”"),
    ("url.redirect", "expected “relocate” or “downgrade”; kept “relocate”"),
    ("url.unknown_policy", "unknown policy; presets are {known}"),
    ("url.share_range", "a share must be from 0 to 100; ignored"),
    ("url.unknown_closest", "unknown parameter, ignored; did you mean “{name}”?"),
    ("url.unknown", "unknown parameter, ignored"),
    ("url.page_value", "not a value this page knows, ignored; it takes {known}"),
    ("url.no_provider", "no provider “{id}”; {hint}"),
    ("url.no_region", "no region “{id}”; {hint}"),
    ("url.closest", "did you mean “{name}”?"),
    ("url.known", "the known ones are {known}"),
    ("url.out_of_range", "out of range ({why}); “{key}” kept its default"),
    ("url.cell", "expected “family:group”"),
    ("url.no_family", "no family “{id}”; families are {known}"),
    ("url.no_group", "no export group “{id}”; groups are {known}"),
    ("url.cap", "expected “family:group:H100e per year” with a cap from 0 to 1e9"),
    ("url.parts", "too many “:” parts"),
    ("url.shares_zero", "shares add up to 0%; the default shares were kept"),
    ("url.shares_rescaled", "shares add up to {sum}%, not 100%; they were rescaled in proportion"),
    ("url.plan", "expected “year:provider:region:accelerator:USD bn”"),
    ("url.plan_year", "“{value}” is not a year"),
    ("url.plan_capital", "“{value}” is not a capital of 0 or more (USD bn)"),
    // What a valid scenario holds instead of a problem's value (validate.rs).
    ("valid.text", "{text}"),
    ("valid.range", "a number from {low} to {high}"),
    ("valid.positive", "a number above 0 and at most {high}"),
    ("valid.id", "an id of 1–40 characters a–z, 0–9, _ or -"),
    ("valid.id_unique", "an id not used by another entry of the list"),
    ("valid.what.accelerators", "the id of one of the scenario's accelerators ({known})"),
    ("valid.what.regions", "the id of one of the scenario's regions ({known})"),
    ("valid.what.providers", "the id of one of the scenario's providers ({known})"),
    ("valid.year", "a year from {low} to {high}"),
    ("valid.format", "{version}"),
    ("valid.base", "a base scenario: {known}"),
    ("valid.span", "start ≤ end, both within {low}–{high}, at most {max} years"),
    ("valid.multiple", "a multiple of {q} {unit}"),
    ("valid.multiple_quarters", "a multiple of {q} {unit} (whole quarters)"),
    ("valid.unit.years", "years"),
    ("valid.conventional_tflops", "0 for a conventional server (not AI compute)"),
    ("valid.it_power", "at least the chip power ({w} W): it includes the chip"),
    ("valid.projected", "an accelerator with figures of its own (not itself projected)"),
    ("valid.one_accelerator", "at least one accelerator"),
    ("valid.h100", "an accelerator with id \"{id}\": it defines one H100-equivalent"),
    ("valid.paced_change", "a change that, times grid_decarbonisation_pace ({pace}), stays above {min}"),
    ("valid.listed_once", "an accelerator listed once"),
    ("valid.offers", "at least one accelerator the provider offers"),
    ("valid.vendor", "a vendor of an offered accelerator ({known})"),
    ("valid.vendor_weight", "at least one vendor with a weight above 0, or no mix"),
    ("valid.region_weight", "at least one region with a weight above 0"),
    ("valid.colour", "a colour written #rrggbb"),
    ("valid.one_provider", "at least one provider"),
    ("valid.one_region", "at least one region"),
    ("valid.cap_missing", "a cap in H100-equivalents per year when action is \"cap\""),
    ("valid.cap_extra", "no cap unless action is \"cap\""),
    ("valid.share_keyframe", "at least one keyframe year with shares summing to 100"),
    ("valid.share_sum", "shares summing to 100%"),
    ("valid.deal_end", "a quarter no earlier than the start ({start})"),
    ("valid.deal_chips", "at least one accelerator the deal buys"),
    ("valid.keyframe", "at least one keyframe year"),
    (
        "valid.facility_life",
        "at least the hardware lifetime ({years} years): buildings outlive the chips in them",
    ),
    ("valid.first_available", "a quarter no earlier than {quarter} (when {id} became available)"),
    ("valid.before_span", "a quarter before the span starts ({year}Q1)"),
    ("valid.spread", "a whole number of quarters from 1 to {max}"),
    (
        "valid.spread_end",
        "a spread that ends before the span starts ({year}Q1): from {from} at most {max} quarters",
    ),
    ("valid.draws", "a whole number from {low} to {high}"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_never_read_as_a_slot() {
        let m = Message::new("url.not_number").text("value", "{key}").text("key", "energy");
        assert_eq!(m.english(), "“{key}” is not a number; “energy” kept its default");
    }

    #[test]
    fn ids_are_unique_and_messages_fill_every_slot() {
        for (i, (id, _)) in ENGLISH.iter().enumerate() {
            assert!(ENGLISH[..i].iter().all(|(other, _)| other != id), "{id} twice");
        }
        let m = Message::new("plan.binds")
            .part("what", Message::new("plan.what.power").name("region", "region", "us_east", "US East"))
            .text("when", "2027–2029")
            .part("lift", Message::new("plan.lift.power"))
            .part("effect", Message::new("plan.effect.save").number("v", 1234.0));
        assert_eq!(
            m.english(),
            "The US East power limit binds in 2027–2029; lifting it by 1 GW a year would save USD 1,234 bn."
        );
    }
}
