//! Placing one quarter's new capacity: provider shares → region weights → the preferred
//! accelerator, under export bans, caps and regional power limits.
//!
//! **Money is never lost silently.** What a ban blocks moves, in [`Redirect::Relocate`] mode, to the
//! provider's regions where its preferred accelerator is allowed (by weight), else to an older
//! allowed accelerator in its regions; in [`Redirect::Downgrade`] mode the other way round. If the
//! provider can place it nowhere, it goes to the other providers with a share that quarter (by
//! share); if nobody can, it is reported as unspent. A cap or power limit takes what fits, pro rata
//! among everyone buying into it, and the excess moves the same way. Every move is recorded with
//! its origin, its destination and why.
//!
//! **Domestic builders stay home.** In a region with a domestic industry (China), money a ban
//! blocks for a line that offers domestic accelerators stays there: the leakage share still buys
//! the banned part, the rest buys the line's first domestic part there within the year's domestic
//! supply (cut pro rata like a cap), then its first allowed foreign part (the H200 from 2026 under
//! the record), and what nothing can buy is unmet demand.

use crate::model::{Decision, Mode, Model};
use crate::results::RedirectReason;
use crate::scenario::Redirect;

/// Amounts below this (USD or W) are rounding noise, not money.
const NEGLIGIBLE: f64 = 1e-6;

/// Where blocked money was meant to go, and why it could not.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Origin {
    pub reason: RedirectReason,
    pub p: usize,
    pub r: usize,
    pub a: Option<usize>,
}

/// A purchase made this quarter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Buy {
    /// The buying line (a provider's own, or a deal).
    pub line: usize,
    pub p: usize,
    pub r: usize,
    pub a: usize,
    pub count: f64,
    /// IT capacity of the new buildings it needed, W (the rest went into room standing empty).
    pub new_w: f64,
    /// Capital it cost, hardware and new buildings, USD.
    pub usd: f64,
    /// Where the money was first meant to go, if it was moved.
    pub origin: Option<Origin>,
}

/// Money (or power) that could be placed nowhere.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Unplaced {
    pub amount: f64,
    pub origin: Origin,
    /// Demand a region with a domestic industry could not meet (a ban, and the domestic supply
    /// exhausted), rather than money nobody could place.
    pub unmet: bool,
}

/// An amount waiting to be placed.
#[derive(Clone, Copy, Debug)]
struct Tranche {
    /// The buying line ([`crate::model::Line`]): a provider and what it buys from whom.
    line: usize,
    r: usize,
    /// The accelerator a planned purchase names; `None`: the provider's preferred one.
    a: Option<usize>,
    amount: f64,
    origin: Option<Origin>,
    /// True once moved to another provider (it moves across providers at most once).
    crossed: bool,
}

/// A purchase before limits are applied.
#[derive(Clone, Copy, Debug)]
struct Pending {
    line: usize,
    p: usize,
    r: usize,
    a: usize,
    amount: f64,
    origin: Option<Origin>,
    crossed: bool,
}

/// Room in the buildings of each site (provider × region, [`Model::site`]) that purchases can
/// fill before new buildings are needed: IT W standing and not in use. The simulation sets it each
/// quarter; placing a purchase uses it up.
pub(crate) struct Sites {
    pub free_w: Vec<f64>,
}

/// What `amount` (USD in budget mode, design W in capacity mode) buys of accelerator `a` for
/// provider `p` in region `r` with `free_w` of room standing: `(count, new building IT W, capital
/// USD)`. Room costs nothing; beyond it each accelerator needs its building, `it_power_w ×
/// facility_capex_usd_per_w`, so with no room at all a dollar buys `1 ÷ unit_capex`.
pub(crate) fn buy(m: &Model, (p, r, a): (usize, usize, usize), amount: f64, free_w: f64) -> (f64, f64, f64) {
    let acc = &m.acc[a];
    let fit = free_w / acc.it_w;
    match m.mode {
        // A planned purchase names its hardware capital; its buildings come on top, as the
        // planner counted them.
        Mode::Budget if m.planned.is_some() => {
            let count = amount / acc.price_usd;
            let more = (count - fit).max(0.0);
            (count, more * acc.it_w, amount + more * m.unit_building(r, a))
        }
        Mode::Budget => {
            let hardware = acc.price_usd;
            if amount <= fit * hardware {
                (amount / hardware, 0.0, amount)
            } else {
                let more = (amount - fit * hardware) / (hardware + m.unit_building(r, a));
                (fit + more, more * acc.it_w, amount)
            }
        }
        Mode::Capacity => {
            let count = amount / m.unit_facility_w(p, a);
            let more = (count - fit).max(0.0);
            (count, more * acc.it_w, count * acc.price_usd + more * m.unit_building(r, a))
        }
    }
}

/// The cost of `count` accelerators `a` in region `r` with `free_w` of room: `(new building IT W,
/// capital USD, amount in the build-out's unit)`.
fn cost_of(m: &Model, (p, r, a): (usize, usize, usize), count: f64, free_w: f64) -> (f64, f64, f64) {
    let acc = &m.acc[a];
    let more = (count - free_w / acc.it_w).max(0.0);
    let usd = count * acc.price_usd + more * m.unit_building(r, a);
    let amount = match m.mode {
        Mode::Budget if m.planned.is_some() => count * acc.price_usd,
        Mode::Budget => usd,
        Mode::Capacity => count * m.unit_facility_w(p, a),
    };
    (more * acc.it_w, usd, amount)
}

impl Sites {
    /// Takes the room `count` accelerators `a` with `new_w` of new buildings use at `site`.
    fn take(&mut self, m: &Model, site: usize, a: usize, count: f64, new_w: f64) {
        let used = count * m.acc[a].it_w - new_w;
        self.free_w[site] = (self.free_w[site] - used).max(0.0);
    }
}

/// Places one quarter's new capacity: the [`Allocator`], or a [`Replay`] of an earlier run's
/// placements.
pub(crate) trait Place {
    /// Places `amount` (USD in budget mode, facility W in capacity mode) in quarter `q`, pushing
    /// what was bought to `buys` and what could be placed nowhere to `unplaced`; purchases fill
    /// the room standing in `sites` first.
    fn place(
        &mut self,
        q: usize,
        amount: f64,
        sites: &mut Sites,
        buys: &mut Vec<Buy>,
        unplaced: &mut Vec<Unplaced>,
    );
}

/// One purchase as an amount of money: what an allocation decides before prices turn it into a
/// count.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Placed {
    line: usize,
    p: usize,
    r: usize,
    a: usize,
    amount: f64,
    origin: Option<Origin>,
}

/// Every quarter's placements of a run, kept to be replayed by runs whose allocation cannot differ.
///
/// In budget mode with no export cap and no regional power limit, where money goes depends only
/// on the budget, the shares, the region weights, the offers, availability and the export bans:
/// never on prices, power or anything else a Monte Carlo draw changes. A run whose model agrees
/// on all of those ([`Replay::fits`]) gets the same amounts; only the counts they buy differ, and
/// [`Replayer`] works them out exactly as [`Allocator`] does (amount ÷ unit cost), so the results
/// are bit-identical with no allocation at all.
pub(crate) struct Replay {
    /// The model the placements were made for.
    model: Model,
    quarters: Vec<QuarterPlaced>,
}

/// One quarter's placements: purchases, then what could be placed nowhere.
type QuarterPlaced = (Vec<Placed>, Vec<Unplaced>);

/// The placements of a finished run, for [`Replay::new`].
pub(crate) struct Record(Vec<QuarterPlaced>);

impl Replay {
    /// The replay of a run of `model` that recorded `record`.
    pub fn new(model: Model, record: Record) -> Option<Replay> {
        (record.0.len() == model.quarters.len()).then_some(Replay { model, quarters: record.0 })
    }

    /// Whether a run of `m` would place exactly what this replay holds.
    pub fn fits(&self, m: &Model) -> bool {
        let c = &self.model;
        replayable(m)
            && m.quarters == c.quarters
            && m.build == c.build
            && m.redirect == c.redirect
            && m.planned == c.planned
            && m.same_decisions(c)
            && m.sources == c.sources
            && m.acc.len() == c.acc.len()
            && m.acc.iter().zip(&c.acc).all(|(a, b)| a.first_q == b.first_q)
            && m.lines == c.lines
            && m.leakage_share == c.leakage_share
            && m.reg.iter().zip(&c.reg).all(|(a, b)| a.domestic_industry == b.domestic_industry)
    }

    /// A placer that replays these placements for model `m` (which [`Replay::fits`]).
    pub fn replayer<'a>(&'a self, m: &'a Model) -> Replayer<'a> {
        Replayer { m, replay: self }
    }
}

/// Whether a model's allocation can be replayed: budget mode, no cap, no power limit and no
/// domestic supply limit that anybody buys against, so nothing is ever cut pro rata.
fn replayable(m: &Model) -> bool {
    // Lines that ever get money (crossed money goes to providers with a share, whose lines get
    // money too), or planned purchases, that could buy a domestic accelerator.
    let buys_domestic = m.sources.iter().flatten().any(|&(l, f)| f > 0.0 && m.buys_domestic(l))
        || m.planned.iter().flatten().flatten().any(|&(_, _, a, _)| m.acc[a].domestic);
    m.mode == Mode::Budget
        && m.rule_caps.iter().all(Option::is_none)
        && m.reg.iter().all(|r| r.limit_w_per_year.is_none())
        && !(buys_domestic && m.domestic_units.iter().any(|u| u.is_finite()))
}

/// [`Place`] by replaying a [`Replay`].
pub(crate) struct Replayer<'a> {
    m: &'a Model,
    replay: &'a Replay,
}

impl Place for Replayer<'_> {
    fn place(
        &mut self,
        q: usize,
        _amount: f64,
        sites: &mut Sites,
        buys: &mut Vec<Buy>,
        unplaced: &mut Vec<Unplaced>,
    ) {
        let Some((placed, left)) = self.replay.quarters.get(q) else { return };
        let m = self.m;
        for b in placed {
            // As the allocator does it, in its order: a count from the room standing, times a
            // factor of exactly 1.
            let site = m.site(b.p, b.r);
            let (count, new_w, usd) = buy(m, (b.p, b.r, b.a), b.amount, sites.free_w[site]);
            if count > 0.0 {
                sites.take(m, site, b.a, count, new_w);
                buys.push(Buy { line: b.line, p: b.p, r: b.r, a: b.a, count, new_w, usd, origin: b.origin });
            }
        }
        unplaced.extend_from_slice(left);
    }
}

/// Allocation state that lives across quarters: what is left under each cap and power limit this year.
pub(crate) struct Allocator<'m> {
    m: &'m Model,
    year_offset: usize,
    q_abs: i64,
    q: usize,
    /// Remaining H100e per (capping rule, region) this year.
    cap_room: Vec<f64>,
    /// Remaining new facility W per region this year (infinite without a limit).
    power_room: Vec<f64>,
    /// Domestic accelerators still installable this year (infinite without a limit), and the
    /// units asked for and bought in one round.
    supply_room: f64,
    supply_demand: f64,
    supply_used: f64,
    /// Scratch: demand per cap key and power key in one round.
    cap_demand: Vec<f64>,
    power_demand: Vec<f64>,
    /// Scratch: what was bought against each cap and power key in one round.
    cap_used: Vec<f64>,
    power_used: Vec<f64>,
    /// Scratch: amounts waiting to be placed, and purchases before limits, reused every quarter.
    tranches: Vec<Tranche>,
    pending: Vec<Pending>,
    /// Scratch: each pending purchase uncut (count, new building W, USD), and the room it sees.
    scratch: Vec<(f64, f64, f64)>,
    room: Vec<f64>,
    /// The placements so far, when recording for a [`Replay`].
    record: Option<Vec<QuarterPlaced>>,
}

impl<'m> Allocator<'m> {
    pub fn new(m: &'m Model) -> Self {
        let nr = m.reg.len();
        let nk = m.rule_caps.len() * nr;
        let mut alloc = Allocator {
            m,
            year_offset: usize::MAX,
            q_abs: m.start_q,
            q: 0,
            cap_room: vec![0.0; nk],
            power_room: vec![0.0; nr],
            supply_room: 0.0,
            supply_demand: 0.0,
            supply_used: 0.0,
            cap_demand: vec![0.0; nk],
            power_demand: vec![0.0; nr],
            cap_used: vec![0.0; nk],
            power_used: vec![0.0; nr],
            tranches: Vec::new(),
            pending: Vec::new(),
            scratch: Vec::new(),
            room: Vec::new(),
            record: None,
        };
        alloc.start_year(0);
        alloc
    }

    /// An allocator that keeps its placements for [`Allocator::into_record`].
    pub fn recording(m: &'m Model) -> Self {
        let mut alloc = Allocator::new(m);
        alloc.record = replayable(m).then(Vec::new);
        alloc
    }

    /// The placements recorded, if the model's allocation can be replayed (see [`Replay`]).
    pub fn into_record(self) -> Option<Record> {
        self.record.map(Record)
    }

    fn start_year(&mut self, year_offset: usize) {
        self.year_offset = year_offset;
        let nr = self.m.reg.len();
        for (k, room) in self.cap_room.iter_mut().enumerate() {
            *room = self.m.rule_caps[k / nr].unwrap_or(f64::INFINITY);
        }
        for (r, room) in self.power_room.iter_mut().enumerate() {
            *room = self.m.reg[r].limit_w_per_year.unwrap_or(f64::INFINITY);
        }
        self.supply_room = self.m.domestic_units.get(year_offset).copied().unwrap_or(f64::INFINITY);
    }

    fn available(&self, a: usize) -> bool {
        self.m.acc[a].first_q <= self.q_abs
    }

    /// The line's first offered accelerator available now, ignoring export rules.
    fn preferred(&self, line: usize) -> Option<usize> {
        self.m.lines[line].offers.iter().copied().find(|&a| self.available(a))
    }

    /// Why accelerator `a` cannot be bought in region `r` now, if it cannot.
    fn blocked(&self, r: usize, a: usize) -> Option<RedirectReason> {
        let nr = self.m.reg.len();
        match self.m.decision(self.year_offset, r, a) {
            Decision::Ban => return Some(RedirectReason::Ban),
            Decision::Cap(rule) if self.cap_room[rule * nr + r] <= 0.0 => {
                return Some(RedirectReason::Cap);
            }
            _ => {}
        }
        if self.m.acc[a].domestic && self.supply_room <= 0.0 {
            return Some(RedirectReason::SupplyLimit);
        }
        (self.power_room[r] <= 0.0).then_some(RedirectReason::PowerLimit)
    }

    /// The line's preferred accelerator, if it is allowed in region `r`.
    fn primary(&self, line: usize, r: usize) -> Option<usize> {
        self.preferred(line).filter(|&a| self.blocked(r, a).is_none())
    }

    /// The line's first offered accelerator that is available and allowed in region `r`.
    fn any_allowed(&self, line: usize, r: usize) -> Option<usize> {
        self.m.lines[line].offers.iter().copied().find(|&a| self.available(a) && self.blocked(r, a).is_none())
    }

    /// The line's first offered domestic accelerator that is available and allowed in region `r`
    /// (within the domestic supply).
    fn domestic_allowed(&self, line: usize, r: usize) -> Option<usize> {
        self.m.lines[line]
            .offers
            .iter()
            .copied()
            .find(|&a| self.m.acc[a].domestic && self.available(a) && self.blocked(r, a).is_none())
    }

    /// Places blocked money within its line (its provider, its regions, its offers); false if it
    /// fits nowhere there.
    ///
    /// Relocate: the preferred accelerator in the line's regions where it is allowed, else any
    /// allowed accelerator there. Downgrade: the next allowed accelerator in the same region, else
    /// in the line's other regions.
    fn place_within(&self, t: Tranche, out: &mut Vec<Pending>) -> bool {
        let m = self.m;
        let line = &m.lines[t.line];
        let pending = |r, a, amount| Pending {
            line: t.line,
            p: line.p,
            r,
            a,
            amount,
            origin: t.origin,
            crossed: t.crossed,
        };
        if m.redirect == Redirect::Downgrade
            && line.regions.iter().any(|&(r, _)| r == t.r)
            && let Some(a) = self.any_allowed(t.line, t.r)
        {
            out.push(pending(t.r, a, t.amount));
            return true;
        }
        // Relocate tries the preferred accelerator first, then any allowed one.
        let preferred_only: &[bool] = match m.redirect {
            Redirect::Relocate => &[true, false],
            Redirect::Downgrade => &[false],
        };
        for &preferred_only in preferred_only {
            let choose =
                |r| if preferred_only { self.primary(t.line, r) } else { self.any_allowed(t.line, r) };
            // Two passes over the line's regions: the weight that can take the money, then the
            // split; no scratch list needed.
            let targets = || line.regions.iter().filter_map(|&(r, w)| Some((r, w, choose(r)?)));
            let weight: f64 = targets().map(|(_, w, _)| w).sum();
            if weight > 0.0 {
                for (r, w, a) in targets() {
                    out.push(pending(r, a, t.amount * w / weight));
                }
                return true;
            }
        }
        false
    }

    /// Turns a tranche into pending purchases, moving it as far as needed.
    fn resolve(&self, mut t: Tranche, out: &mut Vec<Pending>, unplaced: &mut Vec<Unplaced>) {
        let p = self.m.lines[t.line].p;
        let mut newly_banned = false;
        if t.origin.is_none() {
            let chosen = match t.a {
                Some(a) => Some(a).filter(|&a| self.available(a) && self.blocked(t.r, a).is_none()),
                None => self.primary(t.line, t.r),
            };
            if let Some(a) = chosen {
                out.push(Pending {
                    line: t.line,
                    p,
                    r: t.r,
                    a,
                    amount: t.amount,
                    origin: None,
                    crossed: t.crossed,
                });
                return;
            }
            let a = t.a.or_else(|| self.preferred(t.line));
            let reason = a.and_then(|a| self.blocked(t.r, a)).unwrap_or(RedirectReason::Unavailable);
            t.origin = Some(Origin { reason, p, r: t.r, a });
            newly_banned = reason == RedirectReason::Ban;
        }
        if self.stays_home(t, newly_banned, out, unplaced) {
            return;
        }
        if self.place_within(t, out) {
            return;
        }
        let origin = t.origin.unwrap_or(Origin { reason: RedirectReason::Unavailable, p, r: t.r, a: None });
        if !t.crossed {
            // Other providers with a share this quarter, each through its own lines.
            let can_place =
                |q: usize| self.m.lines[q].regions.iter().any(|&(r, _)| self.any_allowed(q, r).is_some());
            let others: Vec<(usize, f64)> = (0..self.m.prov.len())
                .filter(|&o| o != p)
                .map(|o| (o, self.m.share(self.q, o)))
                .filter(|&(o, share)| share > 0.0 && self.m.prov[o].lines.clone().any(can_place))
                .collect();
            let total: f64 = others.iter().map(|(_, s)| s).sum();
            if total > 0.0 {
                for (o, share) in others {
                    for (line, w) in self.m.line_weights(self.q_abs, o) {
                        let moved = Tranche {
                            line,
                            r: t.r,
                            a: None,
                            amount: t.amount * share / total * w,
                            origin: Some(origin),
                            crossed: true,
                        };
                        if !self.place_within(moved, out) {
                            unplaced.push(Unplaced { amount: moved.amount, origin, unmet: false });
                        }
                    }
                }
                return;
            }
        }
        unplaced.push(Unplaced { amount: t.amount, origin, unmet: false });
    }

    /// Money a ban (or the domestic supply) blocks a domestic builder (a line that offers domestic
    /// accelerators) in a region with a domestic industry stays there: a share leaks to the banned
    /// accelerator when the ban is first met; the rest buys the line's first domestic accelerator
    /// while the supply lasts, then its first allowed foreign one (the H200 from 2026 under the
    /// record), and what nothing can buy is unmet demand. False for any other tranche.
    fn stays_home(
        &self,
        t: Tranche,
        newly_banned: bool,
        out: &mut Vec<Pending>,
        unplaced: &mut Vec<Unplaced>,
    ) -> bool {
        let m = self.m;
        let Some(origin) = t.origin else { return false };
        let home = !t.crossed
            && m.reg[t.r].domestic_industry
            && matches!(origin.reason, RedirectReason::Ban | RedirectReason::SupplyLimit)
            && m.buys_domestic(t.line)
            && m.lines[t.line].regions.iter().any(|&(r, _)| r == t.r);
        if !home {
            return false;
        }
        let line = &m.lines[t.line];
        let pending = |a, amount, origin| Pending {
            line: t.line,
            p: line.p,
            r: t.r,
            a,
            amount,
            origin: Some(origin),
            crossed: t.crossed,
        };
        let mut amount = t.amount;
        if newly_banned
            && m.leakage_share > 0.0
            && let Some(banned) = origin.a
        {
            let leaked = amount * m.leakage_share;
            out.push(pending(banned, leaked, Origin { reason: RedirectReason::Leakage, ..origin }));
            amount -= leaked;
        }
        match self.domestic_allowed(t.line, t.r).or_else(|| self.any_allowed(t.line, t.r)) {
            Some(a) => out.push(pending(a, amount, origin)),
            None => unplaced.push(Unplaced { amount, origin, unmet: true }),
        }
        true
    }

    /// Places `amount` (USD in budget mode, facility W in capacity mode) in quarter `q`.
    fn allocate(
        &mut self,
        q: usize,
        amount: f64,
        sites: &mut Sites,
        buys: &mut Vec<Buy>,
        unplaced: &mut Vec<Unplaced>,
    ) {
        let m = self.m;
        self.q = q;
        self.q_abs = m.start_q + q as i64;
        let year_offset = (m.quarters[q].year - m.start_year) as usize;
        if year_offset != self.year_offset {
            self.start_year(year_offset);
        }
        if amount <= NEGLIGIBLE {
            return;
        }
        let mut tranches = std::mem::take(&mut self.tranches);
        tranches.clear();
        match &m.planned {
            // A plan names every purchase; `amount` is their sum.
            Some(planned) => {
                for &(p, r, a, usd) in planned.get(year_offset).into_iter().flatten() {
                    let line = m.line_of(p, a);
                    tranches.push(Tranche { line, r, a: Some(a), amount: usd, origin: None, crossed: false });
                }
            }
            None => {
                for &(line, fraction) in &m.sources[q] {
                    for &(r, w) in &m.lines[line].regions {
                        tranches.push(Tranche {
                            line,
                            r,
                            a: None,
                            amount: amount * fraction * w,
                            origin: None,
                            crossed: false,
                        });
                    }
                }
            }
        }

        let nr = m.reg.len();
        // Each round either places everything or exhausts at least one cap or limit, so the
        // number of rounds is bounded by the number of limits; the bound below is a backstop.
        let max_rounds = self.cap_room.len() + nr + 2;
        let mut pending = std::mem::take(&mut self.pending);
        for _round in 0..max_rounds {
            if tranches.is_empty() {
                break;
            }
            pending.clear();
            for t in tranches.drain(..) {
                if t.amount > NEGLIGIBLE {
                    self.resolve(t, &mut pending, unplaced);
                }
            }

            // What each pending purchase buys from the room standing (in order, as if nothing
            // were cut), and its demand on every cap and on the power limits, which count the
            // design power of new buildings.
            self.cap_demand.iter_mut().for_each(|d| *d = 0.0);
            self.power_demand.iter_mut().for_each(|d| *d = 0.0);
            self.supply_demand = 0.0;
            let mut scratch = std::mem::take(&mut self.scratch);
            scratch.clear();
            let mut room = std::mem::take(&mut self.room);
            room.clone_from(&sites.free_w);
            for b in &pending {
                let site = m.site(b.p, b.r);
                let (count, new_w, usd) = buy(m, (b.p, b.r, b.a), b.amount, room[site]);
                room[site] = (room[site] - (count * m.acc[b.a].it_w - new_w)).max(0.0);
                if let Decision::Cap(rule) = m.decision(self.year_offset, b.r, b.a) {
                    self.cap_demand[rule * nr + b.r] += count * m.acc[b.a].h100e;
                }
                self.power_demand[b.r] += new_w * m.prov[b.p].pue;
                if m.acc[b.a].domestic {
                    self.supply_demand += count;
                }
                scratch.push((count, new_w, usd));
            }
            let factor = |room: f64, demand: f64| if demand > room { room / demand } else { 1.0 };

            let mut cap_used = std::mem::take(&mut self.cap_used);
            let mut power_used = std::mem::take(&mut self.power_used);
            cap_used.iter_mut().for_each(|u| *u = 0.0);
            power_used.iter_mut().for_each(|u| *u = 0.0);
            self.supply_used = 0.0;
            for (b, &(count, new_w, usd)) in pending.drain(..).zip(&scratch) {
                let site = m.site(b.p, b.r);
                let cap_key = match m.decision(self.year_offset, b.r, b.a) {
                    Decision::Cap(rule) => Some(rule * nr + b.r),
                    _ => None,
                };
                let f_cap = cap_key.map_or(1.0, |k| factor(self.cap_room[k], self.cap_demand[k]));
                let f_power = factor(self.power_room[b.r], self.power_demand[b.r]);
                let f_supply =
                    if m.acc[b.a].domestic { factor(self.supply_room, self.supply_demand) } else { 1.0 };
                let f = f_cap.min(f_power).min(f_supply);
                // Uncut, the purchase is what was worked out above; cut, it is costed again
                // against the room left now.
                let (bought, new_w, usd, used) = if f >= 1.0 {
                    (count, new_w, usd, b.amount)
                } else {
                    let bought = count * f;
                    let (new_w, usd, used) = cost_of(m, (b.p, b.r, b.a), bought, sites.free_w[site]);
                    (bought, new_w, usd, used.min(b.amount))
                };
                if bought > 0.0 {
                    sites.take(m, site, b.a, bought, new_w);
                    buys.push(Buy {
                        line: b.line,
                        p: b.p,
                        r: b.r,
                        a: b.a,
                        count: bought,
                        new_w,
                        usd,
                        origin: b.origin,
                    });
                    if let Some(record) = &mut self.record
                        && let Some((placed, _)) = record.last_mut()
                    {
                        placed.push(Placed {
                            line: b.line,
                            p: b.p,
                            r: b.r,
                            a: b.a,
                            amount: b.amount,
                            origin: b.origin,
                        });
                    }
                    if let Some(k) = cap_key {
                        cap_used[k] += bought * m.acc[b.a].h100e;
                    }
                    power_used[b.r] += new_w * m.prov[b.p].pue;
                    if m.acc[b.a].domestic {
                        self.supply_used += bought;
                    }
                }
                let excess = b.amount - used;
                if f < 1.0 && excess > NEGLIGIBLE {
                    let reason = if f_supply <= f_cap.min(f_power) {
                        RedirectReason::SupplyLimit
                    } else if f_cap <= f_power {
                        RedirectReason::Cap
                    } else {
                        RedirectReason::PowerLimit
                    };
                    let origin = match b.origin {
                        // What a limit cuts off leaked chips is banned money again: it stays home.
                        Some(o) if o.reason == RedirectReason::Leakage => {
                            Origin { reason: RedirectReason::Ban, ..o }
                        }
                        Some(o) => o,
                        None => Origin { reason, p: b.p, r: b.r, a: Some(b.a) },
                    };
                    tranches.push(Tranche {
                        line: b.line,
                        r: b.r,
                        a: None,
                        amount: excess,
                        origin: Some(origin),
                        crossed: b.crossed,
                    });
                }
            }
            self.scratch = scratch;
            self.room = room;
            for (k, room) in self.cap_room.iter_mut().enumerate() {
                *room = if self.cap_demand[k] > *room { 0.0 } else { (*room - cap_used[k]).max(0.0) };
            }
            for (r, room) in self.power_room.iter_mut().enumerate() {
                *room = if self.power_demand[r] > *room { 0.0 } else { (*room - power_used[r]).max(0.0) };
            }
            self.supply_room = if self.supply_demand > self.supply_room {
                0.0
            } else {
                (self.supply_room - self.supply_used).max(0.0)
            };
            self.cap_used = cap_used;
            self.power_used = power_used;
        }
        for t in tranches.drain(..) {
            let p = m.lines[t.line].p;
            let origin =
                t.origin.unwrap_or(Origin { reason: RedirectReason::Unavailable, p, r: t.r, a: None });
            let unmet = m.reg[origin.r].domestic_industry
                && m.buys_domestic(t.line)
                && matches!(origin.reason, RedirectReason::Ban | RedirectReason::SupplyLimit);
            unplaced.push(Unplaced { amount: t.amount, origin, unmet });
        }
        self.tranches = tranches;
        self.pending = pending;
    }
}

impl Place for Allocator<'_> {
    fn place(
        &mut self,
        q: usize,
        amount: f64,
        sites: &mut Sites,
        buys: &mut Vec<Buy>,
        unplaced: &mut Vec<Unplaced>,
    ) {
        if let Some(record) = &mut self.record {
            record.push((Vec::new(), Vec::new()));
        }
        let before = unplaced.len();
        self.allocate(q, amount, sites, buys, unplaced);
        if let Some(record) = &mut self.record
            && let Some((_, left)) = record.last_mut()
        {
            left.extend_from_slice(&unplaced[before..]);
        }
    }
}
