//! One chart drawing for every time-series chart on the page: stacked areas or lines over the
//! quarters, with the baseline scenario as dashed ghost lines, and axes. The title, unit and legend
//! are HTML beside the canvas (crisper, and readable by screen readers).
//!
//! [`draw`] is generic over the plotters backend, so the same code draws to a canvas in the page and
//! to SVG or a bitmap elsewhere. It returns the pixel geometry of the plotting area, which
//! [`Geometry::quarter_at`] uses to map the pointer back to a quarter for the hover read-out.

use std::ops::Range;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One series of a chart.
#[derive(Clone, Debug)]
pub struct Layer {
    /// Legend label.
    pub label: String,
    /// Fill or line colour.
    pub colour: RGBColor,
    /// One value per quarter.
    pub values: Vec<f64>,
}

/// Everything one chart shows.
#[derive(Clone, Debug)]
pub struct ChartSpec {
    /// Title above the chart.
    pub title: String,
    /// Unit of the y axis.
    pub unit: String,
    /// Quarter positions on the x axis, as fractional years (quarter midpoints).
    pub x: Vec<f64>,
    /// The current scenario's series.
    pub layers: Vec<Layer>,
    /// Stack the layers as areas (true) or draw them as lines (false).
    pub stacked: bool,
    /// The baseline scenario as dashed lines: (label, colour, values).
    pub baseline: Vec<Layer>,
    /// A fixed top of the y axis (100 for shares); otherwise from the data.
    pub y_max: Option<f64>,
    /// Uncertainty bands around the chart's main line (the stack's top, or the first line).
    pub bands: Option<BandSpec>,
    /// The baseline's own value of each series, labelled as the layers, for the read-out (the
    /// dashed lines may be a stack's boundaries or its total rather than each series' value).
    pub readout: Vec<Layer>,
}

/// P5–P95 and P25–P75 bands, one value per quarter each.
#[derive(Clone, Debug)]
pub struct BandSpec {
    /// P5 and P95.
    pub outer: (Vec<f64>, Vec<f64>),
    /// P25 and P75.
    pub inner: (Vec<f64>, Vec<f64>),
    /// Ink of the shading (drawn translucent).
    pub colour: RGBColor,
}

/// Colours of the page's current theme, read from its CSS.
#[derive(Clone, Copy, Debug)]
pub struct Theme {
    /// Chart background.
    pub background: RGBColor,
    /// Text and axes.
    pub text: RGBColor,
    /// Grid lines.
    pub grid: RGBColor,
}

/// Where the plotting area landed, in canvas pixels, and the x range it shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Geometry {
    /// Horizontal pixel range of the plotting area.
    pub x_px: Range<i32>,
    /// Vertical pixel range of the plotting area.
    pub y_px: Range<i32>,
    /// First and last x value shown.
    pub x_range: (f64, f64),
}

impl Geometry {
    /// The index of the quarter nearest to canvas pixel `x`, if `x` lies in the plotting area.
    pub fn quarter_at(&self, x: f64, xs: &[f64]) -> Option<usize> {
        let (x0, x1) = (f64::from(self.x_px.start), f64::from(self.x_px.end));
        if xs.is_empty() || x < x0 - 2.0 || x > x1 + 2.0 || x1 <= x0 {
            return None;
        }
        let value = self.x_range.0 + (x - x0) / (x1 - x0) * (self.x_range.1 - self.x_range.0);
        xs.iter()
            .enumerate()
            .min_by(|a, b| (a.1 - value).abs().total_cmp(&(b.1 - value).abs()))
            .map(|(i, _)| i)
    }

    /// Canvas pixel x of an x value.
    pub fn pixel_x(&self, value: f64) -> f64 {
        let (x0, x1) = (f64::from(self.x_px.start), f64::from(self.x_px.end));
        x0 + (value - self.x_range.0) / (self.x_range.1 - self.x_range.0).max(1e-9) * (x1 - x0)
    }
}

/// About how wide `text` is at font size `size` pixels in the page's sans-serif, without asking
/// the document (plotters' own measure inserts an element into the page for every label, a
/// forced layout and a style attribute the Content-Security-Policy refuses): Chinese, Japanese and
/// Korean characters a full em, others about 0.56 em.
pub fn text_width(text: &str, size: f64) -> f64 {
    let wide = |c: char| matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6);
    text.chars().map(|c| if wide(c) { 1.0 } else { 0.56 }).sum::<f64>() * size
}

/// A colour as CSS writes it (`#1f5fbf`).
pub fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// Cumulative sums of the layers, bottom first: `tops[k][q]` is the top of layer `k`.
pub fn stack(layers: &[Layer]) -> Vec<Vec<f64>> {
    let n = layers.first().map_or(0, |l| l.values.len());
    let mut running = vec![0.0; n];
    layers
        .iter()
        .map(|layer| {
            for (sum, v) in running.iter_mut().zip(&layer.values) {
                *sum += v;
            }
            running.clone()
        })
        .collect()
}

/// A "nice" step for axis ticks: 1, 2, 2.5 or 5 times a power of ten, at or above `v`.
pub fn nice_step(v: f64) -> f64 {
    nice_max(v)
}

/// A "nice" upper bound for an axis: 1, 2, 2.5 or 5 times a power of ten, at or above `v`.
pub fn nice_max(v: f64) -> f64 {
    if !(v.is_finite() && v > 0.0) {
        return 1.0;
    }
    let magnitude = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|&c| c >= v * 1.0001)
        .unwrap_or(10.0 * magnitude)
}

/// Formats an axis value compactly (12k, 3.5M).
pub fn compact(v: f64) -> String {
    let a = v.abs();
    let (x, suffix) = if a >= 1e9 {
        (v / 1e9, "B")
    } else if a >= 1e6 {
        (v / 1e6, "M")
    } else if a >= 1e3 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    let text = if x.abs() >= 100.0 || x.fract().abs() < 1e-9 { format!("{x:.0}") } else { format!("{x:.1}") };
    format!("{}{suffix}", crate::i18n::localise(&text))
}

/// Values from `from` to `to` (inclusive, with a little slack for rounding) every `step`, each with
/// its label.
pub fn ticks(from: f64, to: f64, step: f64, label: impl Fn(f64) -> String) -> Vec<(f64, String)> {
    let mut out = Vec::new();
    let mut v = from;
    while v <= to * (1.0 + 1e-9) && step > 0.0 {
        out.push((v, label(v)));
        v += step;
    }
    out
}

/// Where a chart's plotting area sits: its pixel ranges, the data point the axes start from, and
/// the device-pixel scale.
pub struct Frame {
    /// Plotting area, x pixels.
    pub x_px: Range<i32>,
    /// Plotting area, y pixels.
    pub y_px: Range<i32>,
    /// The data coordinates of the axes' start (x of the y ticks, y of the x ticks).
    pub origin: (f64, f64),
    /// Device pixels per CSS pixel.
    pub scale: f64,
}

/// The grid and tick labels of every chart, drawn by hand rather than by plotters' mesh: plotters
/// sizes every label by inserting it into the document and reading its box (a forced layout per
/// label per redraw), while the canvas aligns text itself (see docs/perf.md). Horizontal lines
/// with right-aligned labels at `y_ticks`; lighter vertical lines with labels below at `x_ticks`;
/// `at` maps data to pixels.
pub fn draw_axes<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    at: &impl Fn(f64, f64) -> (i32, i32),
    frame: &Frame,
    x_ticks: &[(f64, String)],
    y_ticks: &[(f64, String)],
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let px = |v: f64| (v * frame.scale).round() as u32;
    let font = |size: f64| ("system-ui, sans-serif", size * frame.scale).into_font().color(&theme.text);
    let (x_px, y_px) = (&frame.x_px, &frame.y_px);
    let grid = theme.grid.stroke_width(px(1.0));
    let y_label = font(11.0).pos(Pos::new(HPos::Right, VPos::Center));
    for (y, label) in y_ticks {
        let (_, py) = at(frame.origin.0, *y);
        root.draw(&PathElement::new(vec![(x_px.start, py), (x_px.end, py)], grid))?;
        root.draw_text(label, &y_label, (x_px.start - px(6.0) as i32, py))?;
    }
    let x_label = font(11.0).pos(Pos::new(HPos::Center, VPos::Top));
    for (x, label) in x_ticks {
        let (qx, _) = at(*x, frame.origin.1);
        root.draw(&PathElement::new(
            vec![(qx, y_px.start), (qx, y_px.end)],
            theme.grid.mix(0.5).stroke_width(px(1.0)),
        ))?;
        root.draw_text(label, &x_label, (qx, y_px.end + px(5.0) as i32))?;
    }
    Ok(())
}

/// Draws a chart on `backend`; `scale` is the device-pixel ratio (fonts and lines scale with it).
pub fn draw<DB: DrawingBackend>(
    backend: DB,
    spec: &ChartSpec,
    theme: &Theme,
    scale: f64,
) -> Result<Geometry, String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let root = backend.into_drawing_area();
    root.fill(&theme.background).map_err(err)?;
    let (x0, x1) = match (spec.x.first(), spec.x.last()) {
        (Some(a), Some(b)) if b > a => (*a, *b),
        (Some(a), _) => (*a - 0.5, *a + 0.5),
        _ => return Ok(Geometry::default()),
    };
    let tops = if spec.stacked {
        stack(&spec.layers)
    } else {
        spec.layers.iter().map(|l| l.values.clone()).collect()
    };
    let data_max = tops
        .iter()
        .chain(spec.baseline.iter().map(|b| &b.values))
        .chain(spec.bands.iter().map(|b| &b.outer.1))
        .flat_map(|v| v.iter())
        .fold(0.0f64, |m, v| if v.is_finite() { m.max(*v) } else { m });
    let y_step = spec.y_max.map_or_else(|| nice_step(data_max / 4.0), |m| nice_step(m / 4.0));
    let y_max = spec.y_max.unwrap_or_else(|| (y_step * (data_max / y_step).ceil()).max(y_step));

    let px = |v: f64| (v * scale).round() as u32;
    let mut chart = ChartBuilder::on(&root)
        .margin_top(px(8.0))
        .margin_right(px(14.0))
        .margin_left(px(4.0))
        .x_label_area_size(px(22.0))
        .y_label_area_size(px(44.0))
        .build_cartesian_2d(x0..x1, 0.0..y_max)
        .map_err(err)?;

    let (x_px, y_px) = chart.plotting_area().get_pixel_range();
    let at = |x: f64, y: f64| chart.backend_coord(&(x, y));
    let years = (x1 - x0).max(1.0);
    let x_step = if years > 12.0 {
        4
    } else if years > 6.0 {
        2
    } else {
        1
    };
    let x_ticks: Vec<(f64, String)> = (x0.ceil() as i32..=x1.floor() as i32)
        .filter(|year| year % x_step == 0)
        .map(|year| (f64::from(year), year.to_string()))
        .collect();
    let y_ticks = ticks(0.0, y_max, y_step, compact);
    let frame = Frame { x_px: x_px.clone(), y_px: y_px.clone(), origin: (x0, 0.0), scale };
    draw_axes(&root, &at, &frame, &x_ticks, &y_ticks, theme).map_err(err)?;
    root.draw(&PathElement::new(
        vec![(x_px.start, y_px.end), (x_px.end, y_px.end)],
        theme.text.mix(0.6).stroke_width(px(1.0)),
    ))
    .map_err(err)?;

    if spec.stacked {
        // Top layer first, so each lower layer paints over the one above it.
        for (layer, top) in spec.layers.iter().zip(&tops).rev() {
            let points = spec.x.iter().copied().zip(top.iter().copied());
            chart
                .draw_series(
                    AreaSeries::new(points, 0.0, layer.colour.mix(0.85))
                        .border_style(layer.colour.stroke_width(px(1.0))),
                )
                .map_err(err)?;
        }
    } else {
        for layer in &spec.layers {
            let points = spec.x.iter().copied().zip(layer.values.iter().copied());
            chart.draw_series(LineSeries::new(points, layer.colour.stroke_width(px(2.0)))).map_err(err)?;
        }
    }
    if let Some(bands) = &spec.bands {
        for ((lo, hi), alpha) in [(&bands.outer, 0.16), (&bands.inner, 0.32)] {
            // The band's outline: along the low edge, then back along the high edge.
            let outline: Vec<(f64, f64)> = spec
                .x
                .iter()
                .copied()
                .zip(lo.iter().copied())
                .chain(spec.x.iter().copied().zip(hi.iter().copied()).rev())
                .filter(|(_, y)| y.is_finite())
                .collect();
            chart
                .draw_series(std::iter::once(Polygon::new(outline, bands.colour.mix(alpha).filled())))
                .map_err(err)?;
        }
    }
    for ghost in &spec.baseline {
        let points = spec.x.iter().copied().zip(ghost.values.iter().copied()).filter(|(_, y)| y.is_finite());
        chart
            .draw_series(DashedLineSeries::new(points, px(5.0), px(4.0), ghost.colour.stroke_width(px(1.5))))
            .map_err(err)?;
    }
    // Where each series is named: a stacked layer where its band is thickest, a line at its end.
    let spots: Vec<(f64, f64, f64)> = (0..spec.layers.len())
        .map(|k| {
            let below = |q: usize| if k == 0 { 0.0 } else { tops[k - 1].get(q).copied().unwrap_or(0.0) };
            let top = |q: usize| tops[k].get(q).copied().unwrap_or(0.0);
            if spec.stacked {
                let q =
                    (0..spec.x.len()).max_by(|&a, &b| (top(a) - below(a)).total_cmp(&(top(b) - below(b))));
                q.map_or((x1, 0.0, 0.0), |q| (spec.x[q], below(q), top(q)))
            } else {
                let end = tops[k].last().copied().unwrap_or(0.0);
                (x1, end, end)
            }
        })
        .collect();
    let at_end = |x: f64, y: f64| chart.backend_coord(&(x, y));
    label_series(&root, &at_end, &frame, spec, &spots, theme).map_err(err)?;

    Ok(Geometry { x_px, y_px, x_range: (x0, x1) })
}

/// A series' name as written on the chart: the part before any parenthesis ("Stargate").
pub fn short_label(label: &str) -> &str {
    let end = [" (", "（"].iter().filter_map(|p| label.find(p)).min().unwrap_or(label.len());
    label[..end].trim()
}

/// Writes each series' name on the chart, so that series are told apart by more than colour: a
/// stacked layer inside its own band where the band is thickest and tall enough for the text, a
/// line beside its end at the right edge; never over a name already written. `spots` are each
/// series' x, low and high values there (low = high for a line); `at` maps data to pixels.
fn label_series<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    at: &impl Fn(f64, f64) -> (i32, i32),
    frame: &Frame,
    spec: &ChartSpec,
    spots: &[(f64, f64, f64)],
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let px = |v: f64| (v * frame.scale).round() as i32;
    let font = ("system-ui, sans-serif", 11.0 * frame.scale)
        .into_font()
        .color(&theme.text)
        .pos(Pos::new(HPos::Center, VPos::Center));
    let (x_px, y_px) = (&frame.x_px, &frame.y_px);
    let height = px(14.0);
    let mut placed: Vec<[(i32, i32); 2]> = Vec::new();
    for (layer, &(x, low, high)) in spec.layers.iter().zip(spots) {
        let ((cx, y_low), (_, y_high)) = (at(x, low), at(x, high));
        if spec.stacked && y_low - y_high < height {
            continue;
        }
        let text = short_label(&layer.label);
        // The text's width, near enough for the backing that keeps it readable on any fill.
        // (a full-width character, as Chinese and Japanese write, takes about twice the room).
        let ems: f64 = text.chars().map(|c| if (c as u32) >= 0x2E80 { 2.0 } else { 1.0 }).sum();
        let width = px(6.2 * ems) + px(6.0);
        if width > x_px.end - x_px.start {
            continue;
        }
        let right_edge = x_px.end - px(4.0);
        let cx = if spec.stacked {
            cx.clamp(x_px.start + width / 2, right_edge - width / 2)
        } else {
            right_edge - width / 2
        };
        let cy = ((y_low + y_high) / 2).clamp(y_px.start + height / 2, y_px.end - height / 2);
        let corners = [(cx - width / 2, cy - height / 2), (cx + width / 2, cy + height / 2)];
        let overlaps = |b: &[(i32, i32); 2]| {
            corners[0].0 < b[1].0 && b[0].0 < corners[1].0 && corners[0].1 < b[1].1 && b[0].1 < corners[1].1
        };
        if placed.iter().any(overlaps) {
            continue;
        }
        root.draw(&Rectangle::new(corners, theme.background.mix(0.8).filled()))?;
        root.draw_text(text, &font, (cx, cy))?;
        placed.push(corners);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Series are named on the chart: a band tall enough gets its (short) name, a thin one none.
    #[test]
    fn stacked_series_are_named_where_they_have_room() {
        let layer = |label: &str, v: f64| Layer {
            label: label.into(),
            colour: RGBColor(9, 9, 9),
            values: vec![v; 8],
        };
        let spec = ChartSpec {
            title: "t".into(),
            unit: "u".into(),
            x: (0..8).map(|q| 2030.0 + f64::from(q) / 4.0).collect(),
            layers: vec![
                layer("Microsoft Azure", 50.0),
                layer("Tiny", 0.5),
                layer("Stargate (self-built)", 49.5),
            ],
            stacked: true,
            baseline: Vec::new(),
            y_max: None,
            bands: None,
            readout: Vec::new(),
        };
        let theme = Theme {
            background: RGBColor(255, 255, 255),
            text: RGBColor(0, 0, 0),
            grid: RGBColor(200, 200, 200),
        };
        let mut svg = String::new();
        draw(SVGBackend::with_string(&mut svg, (600, 240)), &spec, &theme, 1.0).unwrap();
        assert!(svg.contains("\nMicrosoft Azure\n"), "{svg}");
        assert!(svg.contains("\nStargate\n"), "the name without its parenthesis");
        assert!(!svg.contains("\nTiny\n"), "no room in a thin band");
        assert_eq!(short_label("Embodied (new hardware)"), "Embodied");
    }

    #[test]
    fn text_is_measured_wider_in_chinese_and_japanese() {
        assert!((text_width("US East", 10.0) - 7.0 * 5.6).abs() < 1e-9);
        assert_eq!(text_width("美国东部", 10.0), 40.0);
        assert!(text_width("東京", 10.0) > text_width("Tokyo", 10.0) * 0.6);
    }

    #[test]
    fn stacking_accumulates_bottom_first() {
        let layer = |v: &[f64]| Layer { label: String::new(), colour: BLACK, values: v.to_vec() };
        let tops = stack(&[layer(&[1.0, 2.0]), layer(&[3.0, 4.0])]);
        assert_eq!(tops, vec![vec![1.0, 2.0], vec![4.0, 6.0]]);
    }

    #[test]
    fn ticks_run_from_start_to_end_inclusive_with_their_labels() {
        let t = ticks(0.0, 1.2, 0.4, |v| format!("{v:.1}"));
        let labels: Vec<&str> = t.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["0.0", "0.4", "0.8", "1.2"], "the end is kept despite rounding");
        assert!(ticks(0.0, 1.0, 0.0, |v| v.to_string()).is_empty(), "no step, no ticks (no endless loop)");
    }

    #[test]
    fn nice_bounds_and_labels() {
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(7.3), 10.0);
        assert_eq!(nice_max(180.0), 200.0);
        assert_eq!(nice_max(2.1), 2.5);
        assert_eq!(compact(34_937_943.0), "34.9M");
        assert_eq!(compact(1500.0), "1.5k");
        assert_eq!(compact(40.0), "40");
    }

    #[test]
    fn pointer_maps_to_the_nearest_quarter() {
        let g = Geometry { x_px: 100..500, y_px: 0..100, x_range: (2023.0, 2024.0) };
        let xs = [2023.0, 2023.25, 2023.5, 2023.75, 2024.0];
        assert_eq!(g.quarter_at(100.0, &xs), Some(0));
        assert_eq!(g.quarter_at(310.0, &xs), Some(2));
        assert_eq!(g.quarter_at(499.0, &xs), Some(4));
        assert_eq!(g.quarter_at(20.0, &xs), None);
        assert!((g.pixel_x(2023.5) - 300.0).abs() < 1e-9);
    }
}
