// A DOM element in one call: h('td', { class: 'num', 'data-kpi': key }, text, child, ...). Attributes
// that are undefined or null are left out, as are null and undefined children.
export const h = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
        if (v === undefined || v === null) continue;
        if (k === 'class') node.className = v;
        else if (k.startsWith('data-') || k.startsWith('aria-') || k === 'scope') node.setAttribute(k, v);
        else node[k] = v;
    }
    node.append(...children.filter((c) => c !== null && c !== undefined));
    return node;
};
