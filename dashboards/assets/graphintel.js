/* GraphIntel: browser helpers shared by the workspace's clientside callbacks. */
window.giChart = {
    /* The cytoscape instance of the link chart, or null before it is drawn. */
    cy: function () {
        const el = document.getElementById('gi-graph');
        return (el && el._cyreg && el._cyreg.cy) || null;
    },
    /* The chart exactly as drawn: elements with classes, positions and pins (dash-cytoscape's
       own ``elements`` prop is re-synced without classes on some interactions). */
    drawn: function () {
        const cy = window.giChart.cy();
        const positions = {};
        if (!cy) { return {positions: positions, selected: [], elements: null}; }
        cy.nodes().forEach(n => { const p = n.position(); positions[n.id()] = {x: p.x, y: p.y}; });
        const elements = cy.elements().map(e => {
            const out = {data: e.data(), classes: e.classes().join(' ')};
            if (e.isNode()) {
                out.position = positions[e.id()];
                if (e.locked()) { out.locked = true; }
            }
            return out;
        });
        return {positions: positions, selected: cy.nodes(':selected').map(n => n.id()),
                elements: elements};
    },
    /* Key nodes (class ``key``) keep labels of ``px`` on screen when zoomed out: their font
       is scaled by 1/zoom below zoom 1, as a style bypass a stylesheet change keeps. */
    scaleLabels: function (cy, px) {
        const z = Math.min(cy.zoom(), 1);
        cy.batch(() => {
            cy.nodes('.key').style({'font-size': px / z, 'text-max-width': 150 / z,
                                    'text-margin-y': 3 / z, 'text-background-padding': 1 / z});
        });
    },
    /* Whether a node's label is drawn at the current zoom (cytoscape leaves out labels
       smaller on screen than their min-zoomed-font-size). */
    labelShown: function (n, z) {
        return !!n.data('label') && n.visible()
            && n.pstyle('font-size').pfValue * z >= n.pstyle('min-zoomed-font-size').pfValue;
    },
    /* No two drawn labels overlap: seized, cited, party and bigger nodes first, each label
       kept only if its box is clear of those kept; the others get class ``gi-crowded`` (no
       text, shown again on hover or selection). Boxes are in model coordinates, so only a
       zoom that rescales labels (below 1) or a moved node changes the answer. */
    declutter: function (cy) {
        const z = cy.zoom();
        const rank = n => (n.hasClass('seized') ? 0 : n.hasClass('evidence') ? 1
            : n.hasClass('Party') ? 2 : n.hasClass('key') ? 3 : 4);
        const shown = cy.nodes().filter(n => window.giChart.labelShown(n, z)).toArray();
        shown.sort((a, b) => rank(a) - rank(b) || b.width() - a.width()
                             || (a.id() < b.id() ? -1 : 1));
        const kept = [];
        const crowded = [];
        const opts = {includeNodes: false, includeEdges: false, includeLabels: true,
                      includeOverlays: false};
        for (const n of shown) {
            const b = n.boundingBox(opts);
            const clash = kept.some(k => b.x1 < k.x2 && k.x1 < b.x2 && b.y1 < k.y2 && k.y1 < b.y2);
            if (clash) { crowded.push(n); } else { kept.push(b); }
        }
        cy.batch(() => {
            cy.nodes('.gi-crowded').removeClass('gi-crowded');
            crowded.forEach(n => n.addClass('gi-crowded'));
        });
    },
    /* Cytoscape maps a press to the chart through a cached position of its container, which
       it re-measures only after a debounced resize. Content loading around the chart (the
       timeline under it, the status line) moves the container on the page, and a press in
       that window landed off target (a link passing near a node instead of the node).
       So every press first checks the container's place and, if it moved, has cytoscape
       re-measure (cy.resize) before its own handler, which runs after this capture one. */
    keepPlace: function (cy) {
        const box = cy.container();
        let last = '';
        const check = () => {
            const b = box.getBoundingClientRect();
            const here = [b.left, b.top, b.width, b.height].join(' ');
            if (here !== last) {
                last = here;
                cy.resize();
            }
        };
        for (const type of ['mousedown', 'touchstart', 'mouseover']) {
            box.addEventListener(type, check, {capture: true, passive: true});
        }
    },
    /* Hook the label scaling (and keepPlace) onto the chart once it exists (retried for a
       few frames). */
    watchLabels: function (px, tries) {
        const cy = window.giChart.cy();
        if (!cy) {
            if (tries > 0) { requestAnimationFrame(() => window.giChart.watchLabels(px, tries - 1)); }
            return;
        }
        if (!cy.scratch('giLabels')) {
            cy.scratch('giLabels', true);
            window.giChart.keepPlace(cy);
            let queued = false;
            // how many layouts have finished: browser tests wait on it, not on a timer
            cy.on('layoutstop', () => cy.scratch('giLayouts', (cy.scratch('giLayouts') || 0) + 1));
            const relabel = () => {
                window.giChart.scaleLabels(cy, px);
                window.giChart.declutter(cy);
            };
            cy.on('zoom add remove layoutstop dragfree', () => {
                if (queued) { return; }
                queued = true;
                requestAnimationFrame(() => { queued = false; relabel(); });
            });
            cy.on('mouseover', 'node', e => e.target.addClass('gi-hover'));
            cy.on('mouseout', 'node', e => e.target.removeClass('gi-hover'));
        }
        window.giChart.scaleLabels(cy, px);
        window.giChart.declutter(cy);
        requestAnimationFrame(() => {
            window.giChart.scaleLabels(cy, px);
            window.giChart.declutter(cy);
        });
    }
};
