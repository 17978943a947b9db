//! Small accessors over web-sys: the window, the document, elements by id, element creation, and
//! page-lifetime event listeners. Text from data or the URL is only ever set as text, never as HTML.

use std::cell::RefCell;
use std::collections::VecDeque;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, Window};

/// The browser window.
pub fn window() -> Result<Window, JsValue> {
    web_sys::window().ok_or_else(|| JsValue::from_str("no window"))
}

/// The page's document.
pub fn document() -> Result<Document, JsValue> {
    window()?.document().ok_or_else(|| JsValue::from_str("no document"))
}

/// The element with `id`, as type `T`.
pub fn by_id<T: JsCast>(id: &str) -> Result<T, JsValue> {
    document()?
        .get_element_by_id(id)
        .ok_or_else(|| JsValue::from_str(&format!("element #{id} is missing")))?
        .dyn_into::<T>()
        .map_err(|_| JsValue::from_str(&format!("element #{id} has an unexpected type")))
}

/// A new element `tag` with a class (empty for none), as type `T`.
pub fn create<T: JsCast>(tag: &str, class: &str) -> Result<T, JsValue> {
    let el = document()?.create_element(tag)?;
    if !class.is_empty() {
        el.set_class_name(class);
    }
    el.dyn_into::<T>().map_err(|_| JsValue::from_str(&format!("<{tag}> has an unexpected type")))
}

/// A new element with text content.
pub fn create_text(tag: &str, class: &str, text: &str) -> Result<Element, JsValue> {
    let el: Element = create(tag, class)?;
    el.set_text_content(Some(text));
    Ok(el)
}

/// Creates an element with text content and appends it to `parent`.
pub fn add_text(parent: &Element, tag: &str, class: &str, text: &str) -> Result<Element, JsValue> {
    let el = create_text(tag, class, text)?;
    parent.append_child(&el)?;
    Ok(el)
}

/// A table with one row per accelerator family and one column per export group: headers from
/// `column` (text, tooltip), each body cell filled by `cell` into its `<td>`.
pub fn family_group_table(
    class: &str,
    column: impl Fn(atlas_core::policy::ExportGroup) -> (String, String),
    mut cell: impl FnMut(
        &Element,
        atlas_core::policy::Family,
        atlas_core::policy::ExportGroup,
    ) -> Result<(), JsValue>,
) -> Result<Element, JsValue> {
    use atlas_core::policy::{ExportGroup, Family};
    let table: Element = create("table", class)?;
    let head: Element = create("tr", "")?;
    // The corner names the rows for a screen reader; on screen the families speak for themselves.
    let corner: Element = create("th", "")?;
    corner.set_attribute("scope", "col")?;
    add_text(&corner, "span", "visually-hidden", crate::i18n::t(crate::i18n::k::CONTROLS_FAMILY))?;
    head.append_child(&corner)?;
    for g in ExportGroup::ALL {
        let (text, title) = column(g);
        let th = add_text(&head, "th", "", &text)?;
        th.set_attribute("scope", "col")?;
        if !title.is_empty() {
            th.set_attribute("title", &title)?;
        }
    }
    table.append_child(&head)?;
    for f in Family::ALL {
        let row: Element = create("tr", "")?;
        add_text(&row, "th", "", &crate::i18n::data_name("family", f.id(), f.label()))?
            .set_attribute("scope", "row")?;
        for g in ExportGroup::ALL {
            let td: Element = create("td", "")?;
            cell(&td, f, g)?;
            row.append_child(&td)?;
        }
        table.append_child(&row)?;
    }
    Ok(table)
}

/// Appends children in order.
pub fn append(parent: &Element, children: &[&Element]) -> Result<(), JsValue> {
    for child in children {
        parent.append_child(child)?;
    }
    Ok(())
}

/// Sets an element's text if it differs (saves layout work on every slider move).
pub fn set_text(el: &Element, text: &str) {
    if el.text_content().as_deref() != Some(text) {
        el.set_text_content(Some(text));
    }
}

/// Adds a listener that lives as long as the page: the closure is leaked on purpose, since the
/// element it listens to is never removed.
pub fn listen<E: JsCast + wasm_bindgen::convert::FromWasmAbi + 'static>(
    target: &web_sys::EventTarget,
    event: &str,
    handler: impl FnMut(E) + 'static,
) -> Result<(), JsValue> {
    let closure = Closure::<dyn FnMut(E)>::new(handler);
    target.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref())?;
    closure.forget();
    Ok(())
}

/// The value of the input or select an event came from.
pub fn target_value(e: &web_sys::Event) -> Option<String> {
    let target = e.target()?;
    if let Some(input) = target.dyn_ref::<web_sys::HtmlInputElement>() {
        return Some(input.value());
    }
    target.dyn_ref::<web_sys::HtmlSelectElement>().map(|s| s.value())
}

/// The HTML element with this id, if there is one (panels are optional in test documents).
pub fn element(id: &str) -> Option<web_sys::HtmlElement> {
    document().ok()?.get_element_by_id(id)?.dyn_into().ok()
}

/// Calls `f` after `ms` milliseconds.
pub fn after(ms: i32, f: impl FnOnce() + 'static) {
    let callback = Closure::once_into_js(f);
    if let Ok(window) = window() {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), ms);
    }
}

/// `performance.now()` in milliseconds (0 if unavailable).
pub fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// Logs an error to the console.
pub fn log_error(context: &str, err: &JsValue) {
    web_sys::console::error_2(&JsValue::from_str(context), err);
}

/// Callbacks waiting for [`soon`].
type Queue = RefCell<VecDeque<Box<dyn FnOnce()>>>;

/// The channel that wakes them. Both ports are kept: the receiving one must outlive every message.
type Ports = RefCell<Option<[web_sys::MessagePort; 2]>>;

thread_local! {
    static SOON: (Queue, Ports) = (RefCell::new(VecDeque::new()), RefCell::new(None));
}

/// Runs `f` in a task of its own, as soon as the page has handled what is waiting (input, a
/// frame). Unlike `setTimeout(0)`, which browsers stretch to 4 ms once nested, a message on a
/// `MessageChannel` comes back at once, so work cut into slices loses no time between them.
pub fn soon(f: impl FnOnce() + 'static) {
    SOON.with(|(queue, port)| {
        queue.borrow_mut().push_back(Box::new(f));
        if port.borrow().is_none() {
            let Ok(channel) = web_sys::MessageChannel::new() else { return };
            let wake = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(|_: web_sys::MessageEvent| {
                let next = SOON.with(|(queue, _)| queue.borrow_mut().pop_front());
                if let Some(f) = next {
                    f();
                }
            });
            channel.port1().set_onmessage(Some(wake.as_ref().unchecked_ref()));
            wake.forget();
            *port.borrow_mut() = Some([channel.port1(), channel.port2()]);
        }
        if let Some([_, sender]) = port.borrow().as_ref() {
            let _ = sender.post_message(&JsValue::NULL);
        }
    });
}
