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
            cy.on('zoom add layoutstop', () => {
                if (queued) { return; }
                queued = true;
                requestAnimationFrame(() => { queued = false; window.giChart.scaleLabels(cy, px); });
            });
        }
        window.giChart.scaleLabels(cy, px);
        requestAnimationFrame(() => window.giChart.scaleLabels(cy, px));
    }
};
