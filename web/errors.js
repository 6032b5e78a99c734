// Errors shown next to the form: each names the field in the operator's words, marks its input
// (aria-invalid) and links to it. API errors arrive with a JSON pointer (`path`), found here through
// the inputs' data-path attributes.

const usable = (el) => !el.disabled && !el.closest('[hidden]');

// The input an API error's path is about: the exact field, else the same field of any row
// (data-path with *: the charger fields stand for every charger), else the nearest parent.
export function field_for(form, path) {
    const inputs = [...form.querySelectorAll('[data-path]')].filter(usable);
    const segments = path.split('/');
    for (let n = segments.length; n > 1; --n) {
        const prefix = segments.slice(0, n).join('/');
        const wild = prefix.replace(/\/\d+(?=\/|$)/g, '/*');
        const found = inputs.find((el) => el.dataset.path === prefix) ?? inputs.find((el) => el.dataset.path === wild);
        if (found) return found;
    }
    return null;
}

// "Vehicle 4 (EV04): Departure", "Battery 2 (container): Name", "Grid import limit (kW)"...
// A row of a table, or a fieldset of a list (a battery), names the inputs within it.
export function field_name(element) {
    if (!element) return '';
    if (element.matches('tr, fieldset') && element.dataset.label) return element.dataset.label;
    const row = element.parentElement?.closest('tr[data-label], fieldset[data-label]');
    if (row) return `${row.dataset.label}: ${element.dataset.label ?? ''}`;
    const label = element.id && element.ownerDocument.querySelector(`label[for="${element.id}"]`);
    return label ? label.textContent.trim() : element.getAttribute('aria-label') ?? element.id;
}

export class ErrorList {
    constructor(box, form) {
        this.box = box;
        this.form = form;
    }

    clear() {
        for (const el of this.form.querySelectorAll('[aria-invalid]')) {
            el.removeAttribute('aria-invalid');
            el.removeAttribute('aria-errormessage');
        }
        this.box.replaceChildren();
        this.box.hidden = true;
    }

    // items: [{element, message, path}]; element may be null (an error of the whole request).
    show(title, items) {
        this.clear();
        const heading = document.createElement('p');
        heading.className = 'errors-title';
        heading.textContent = title;
        const list = document.createElement('ul');
        items.forEach(({ element, message, path }, i) => {
            const li = document.createElement('li');
            li.id = `form-error-${i}`;
            li.dataset.path = path ?? element?.dataset.path ?? '';
            const target = focus_target(element);
            if (target) {
                const link = document.createElement('a');
                link.href = '#';
                link.className = 'error-field';
                link.textContent = field_name(element);
                link.addEventListener('click', (e) => {
                    e.preventDefault();
                    target.focus();
                });
                li.append(link, `: ${message}`);
                target.setAttribute('aria-invalid', 'true');
                target.setAttribute('aria-errormessage', li.id);
            } else {
                li.textContent = message;
            }
            if (path) {
                const code = document.createElement('code');
                code.textContent = path;
                li.append(' ', code);
            }
            list.append(li);
        });
        this.box.append(heading, list);
        this.box.hidden = false;
        this.box.focus();
    }
}

// A row stands for its first input.
function focus_target(element) {
    if (!element) return null;
    return element.matches('input, select, textarea, button') ? element : element.querySelector('input, select, textarea');
}
