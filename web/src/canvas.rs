//! A plotters canvas backend that measures text with the canvas itself, cached per font and text.
//!
//! plotters on wasm measures every label by inserting a `<span>` into the document and reading its
//! size: one forced layout per label per redraw, which with several charts dominated the update
//! (see `docs/perf.md`). This wrapper answers `estimate_text_size` from the canvas's own
//! `measureText`, remembered in a cache shared by every chart, and forwards all drawing to
//! [`CanvasBackend`].

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};
use plotters_canvas::CanvasBackend;

/// The error type of the wrapped backend.
type CanvasError = <CanvasBackend as DrawingBackend>::ErrorType;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// Text sizes already measured: (CSS font, text) → (width, height) in pixels.
pub type TextCache = Rc<RefCell<HashMap<(String, String), (u32, u32)>>>;

/// [`CanvasBackend`] with canvas-measured, cached text sizes.
pub struct FastCanvas {
    inner: CanvasBackend,
    context: CanvasRenderingContext2d,
    cache: TextCache,
}

impl FastCanvas {
    /// Wraps a canvas; `None` if it has no 2D context.
    pub fn new(canvas: HtmlCanvasElement, cache: TextCache) -> Option<Self> {
        let context = canvas.get_context("2d").ok()??.dyn_into::<CanvasRenderingContext2d>().ok()?;
        let inner = CanvasBackend::with_canvas_object(canvas)?;
        Some(FastCanvas { inner, context, cache })
    }
}

/// The CSS font string plotters-canvas uses for a text style.
fn css_font<S: BackendTextStyle>(style: &S) -> String {
    format!("{} {}px {}", style.style().as_str(), style.size(), style.family().as_str())
}

impl DrawingBackend for FastCanvas {
    type ErrorType = CanvasError;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.inner.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.inner.fill_polygon(vert, style)
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        self.inner.draw_text(text, style, pos)
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<CanvasError>> {
        let key = (css_font(style), text.to_string());
        if let Some(size) = self.cache.borrow().get(&key) {
            return Ok(*size);
        }
        self.context.set_font(&key.0);
        let width = self.context.measure_text(text).map(|m| m.width()).unwrap_or(0.0);
        // Canvas gives no reliable height across browsers; the font size is what plotters uses.
        let size = (width.ceil() as u32, style.size().ceil() as u32);
        self.cache.borrow_mut().insert(key, size);
        Ok(size)
    }
}
