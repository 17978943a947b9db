//! Files the page hands to the user (CSV results, scenario JSON) and the copy-link button.

use wasm_bindgen::prelude::*;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

use crate::dom;
use crate::i18n::{k, t};

/// Offers `text` as a file download named `name` with MIME type `mime`.
pub fn save(name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    let link: HtmlAnchorElement = dom::create("a", "")?;
    link.set_href(&url);
    link.set_download(name);
    link.style().set_property("display", "none")?;
    let body = dom::document()?.body().ok_or_else(|| JsValue::from_str("no body"))?;
    body.append_child(&link)?;
    link.click();
    link.remove();
    Url::revoke_object_url(&url)?;
    Ok(())
}

/// Offers a data URL (a PNG from a canvas) as a file download.
pub fn save_data_url(name: &str, data_url: &str) -> Result<(), JsValue> {
    let link: HtmlAnchorElement = dom::create("a", "")?;
    link.set_href(data_url);
    link.set_download(name);
    let body = dom::document()?.body().ok_or_else(|| JsValue::from_str("no body"))?;
    body.append_child(&link)?;
    link.click();
    link.remove();
    Ok(())
}

/// Copies the page's address to the clipboard; the button says whether it worked.
pub fn copy_link(button: web_sys::HtmlElement) -> Result<(), JsValue> {
    let href = dom::window()?.location().href()?;
    copy_text(&href, button, t(k::BAR_COPY), t(k::BAR_COPIED))
}

/// Copies `text` to the clipboard; the button says `done` (or that it failed) for a moment, then
/// `label` again. A page without a clipboard (not a secure context) says it failed: calling the
/// missing API would throw through the module.
pub fn copy_text(
    text: &str,
    button: web_sys::HtmlElement,
    label: &'static str,
    done: &'static str,
) -> Result<(), JsValue> {
    let navigator = dom::window()?.navigator();
    let has_clipboard =
        js_sys::Reflect::get(&navigator, &"clipboard".into()).is_ok_and(|c| !c.is_undefined());
    if !has_clipboard {
        flash(&button, t(k::BAR_COPY_FAILED), label);
        return Ok(());
    }
    let promise = navigator.clipboard().write_text(text);
    let (ok, failed) = (button.clone(), button);
    let on_done = Closure::once(move |_: JsValue| flash(&ok, done, label));
    let on_error = Closure::once(move |_: JsValue| flash(&failed, t(k::BAR_COPY_FAILED), label));
    let _ = promise.then2(&on_done, &on_error);
    on_done.forget();
    on_error.forget();
    Ok(())
}

/// Shows `text` on a button for a moment, then `label` again.
fn flash(button: &web_sys::HtmlElement, text: &str, label: &'static str) {
    button.set_text_content(Some(text));
    let target = button.clone();
    dom::after(1500, move || target.set_text_content(Some(label)));
}
