"""An independent evaluation generator: manifests with ground truth, written blind.

Written from the variation catalogue (docs/variations.md) and general knowledge of
cross-border parcel manifests, without reading how GraphIntel resolves or detects, so that
figures measured on its output are not circular. Streams rows to disk (flat memory):

    python -m benchmarks.blindgen -o DIR --shipments 1000000 --seed 3 [--rings 300]

Files: ``manifest.csv`` (canonical layout, graphintel.manifest), ``truth.csv`` (the
devsets' truth columns plus ``shipper_variation`` and ``consignee_variation``: the
catalogue codes each mention carries, ``|``-separated; a forwarded parcel's
``shipper_entity`` is the forwarder named as shipper, ``via_consolidator`` 1, and the real
seller is in ``seller_name``/``seller_id``), ``summary.json``, and with
``--identifiers`` ``identifiers.csv`` (the true identity of each row's address, phone,
e-mail and payment account, empty where the manifest field is empty).
"""
