//! The cost–carbon frontier chart: least-cost plans over carbon prices as a line of points (carbon
//! on x, cost on y), and the user's own scenario as a separate marker. Generic over the plotters
//! backend, like [`crate::chart::draw`], with the same hand-drawn ticks.

use atlas_core::plan::FrontierPoint;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::chart::{Frame, Theme, compact, draw_axes, nice_step, ticks};

/// Draws the frontier and the user's point; `accent` colours the frontier, `mine` the user's point.
pub fn draw<DB: DrawingBackend>(
    backend: DB,
    points: &[FrontierPoint],
    own: Option<FrontierPoint>,
    (theme, accent, mine): (&Theme, RGBColor, RGBColor),
    scale: f64,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let root = backend.into_drawing_area();
    root.fill(&theme.background).map_err(err)?;
    let all: Vec<(f64, f64)> = points.iter().chain(own.iter()).map(|p| (p.carbon_mt, p.cost_usd_b)).collect();
    if all.is_empty() {
        return Ok(());
    }
    let bound = |f: fn(&(f64, f64)) -> f64| {
        let (lo, hi) = all.iter().map(f).fold((f64::INFINITY, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let step = nice_step(((hi - lo).max(hi * 0.05)).max(1e-9) / 4.0);
        let lo = ((lo / step).floor() - 1.0).max(0.0) * step;
        (lo, ((hi / step).ceil() + 1.0) * step, step)
    };
    let (x0, x1, x_step) = bound(|p| p.0);
    let (y0, y1, y_step) = bound(|p| p.1);

    let px = |v: f64| (v * scale).round() as u32;
    let font = |size: f64| ("system-ui, sans-serif", size * scale).into_font().color(&theme.text);
    let mut chart = ChartBuilder::on(&root)
        .margin_top(px(8.0))
        .margin_right(px(14.0))
        .margin_left(px(4.0))
        .x_label_area_size(px(34.0))
        .y_label_area_size(px(52.0))
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(err)?;
    let (x_px, y_px) = chart.plotting_area().get_pixel_range();
    let at = |x: f64, y: f64| chart.backend_coord(&(x, y));
    let x_ticks = ticks(x0, x1, x_step, compact);
    let y_ticks = ticks(y0, y1, y_step, |y| format!("${}", compact(y)));
    let frame = Frame { x_px: x_px.clone(), y_px: y_px.clone(), origin: (x0, y0), scale };
    draw_axes(&root, &at, &frame, &x_ticks, &y_ticks, theme).map_err(err)?;
    let caption = font(11.0).pos(Pos::new(HPos::Center, VPos::Bottom));
    root.draw_text(
        crate::i18n::t(crate::i18n::k::OPT_FRONTIER_AXIS),
        &caption,
        ((x_px.start + x_px.end) / 2, y_px.end + px(33.0) as i32),
    )
    .map_err(err)?;

    let line: Vec<(f64, f64)> = points.iter().map(|p| (p.carbon_mt, p.cost_usd_b)).collect();
    chart.draw_series(LineSeries::new(line.iter().copied(), accent.stroke_width(px(2.0)))).map_err(err)?;
    chart.draw_series(line.iter().map(|&p| Circle::new(p, px(3.0), accent.filled()))).map_err(err)?;
    if let Some(own) = own {
        let at = (own.carbon_mt, own.cost_usd_b);
        let size = px(6.0) as i32;
        chart.draw_series(std::iter::once(Cross::new(at, size, mine.stroke_width(px(2.5))))).map_err(err)?;
        chart
            .draw_series(std::iter::once(Circle::new(at, px(8.0), mine.stroke_width(px(1.5)))))
            .map_err(err)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::backend::SVGBackend;

    #[test]
    fn draws_points_and_the_users_mark() {
        let p = |c: f64, k: f64| FrontierPoint { carbon_price_usd_per_t: 0.0, cost_usd_b: k, carbon_mt: c };
        let theme = Theme { background: WHITE, text: BLACK, grid: RGBColor(220, 220, 220) };
        let mut svg = String::new();
        draw(
            SVGBackend::with_string(&mut svg, (400, 300)),
            &[p(500.0, 1000.0), p(300.0, 1100.0), p(200.0, 1300.0)],
            Some(p(450.0, 1400.0)),
            (&theme, BLUE, RED),
            1.0,
        )
        .unwrap();
        assert_eq!(svg.matches("<circle").count(), 4, "three plans and the ring around the user's point");
        assert!(svg.contains("Mt CO2e over the span"));
        let mut empty = String::new();
        draw(SVGBackend::with_string(&mut empty, (400, 300)), &[], None, (&theme, BLUE, RED), 1.0).unwrap();
    }
}
