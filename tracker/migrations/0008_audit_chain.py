"""Migration 8, after 0008_audit_chain.sql in the same transaction: chain the audit entries made before the
chain existed, once, in the upgrade that adds it, and record that it did (tracker/audit.py). Nothing else
ever chains an entry the tracker did not write."""

from tracker.audit import chain_at_upgrade


def migrate(db, context):
    chain_at_upgrade(db, context)
