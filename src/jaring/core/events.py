"""What a write announces to the areas above it, so that a lower app never imports a higher one.

A service sends an event inside its own transaction, after its rows are written, naming what
changed in the fewest words a subscriber needs (regency codes `PP.KK`, a batch id). Subscribers
connect in their AppConfig.ready(); a subscriber that must do slow work defers it with
`transaction.on_commit`, so a rolled-back write announces nothing that lasts.

    events.memberships_changed.send(sender="enrolment", regencies={"61.72"})

Events (each a Django signal; keyword arguments only):
- `memberships_changed(regencies)`: memberships counted in these regencies were added, changed
  or ended (coverage facts are stale).
- `workers_changed(regencies)`: workers' counted facts (sex, disability, village) changed.
- `import_committed(batch_id)`: an import batch's rows are now workers.
- `worker_merged(actor, kept, merged, note)`: two records are one person (dedupe), inside the
  merge's transaction: each area moves what it owns from `merged` to `kept`, audited, and may
  return a dict of what it did (the merge's audit event keeps it); raising a DomainError
  refuses the merge. Receivers run in INSTALLED_APPS order, lower areas first (memberships
  move before the claims that follow them).
- `employers_registered(regency, month, workers)`: a compliance case closed with `workers`
  wage earners brought in to BPJS in that city and month (coverage's wage-earner segment).
- `selfpay_opened(cover, actor)`: a self-paid cover was opened (a hand-over choice, a
  reactivation) by `actor`: agents credits it to the agent who recruited the member; raising a
  DomainError refuses the cover.
- `selfpay_paid(payment, actor)`: one self-payment was recorded (not the bulk auto-debit
  results): agents records a cash payment to an agent as its collection.
- `claim_status_changed(claim)`: a claim moved to another status (a workflow step, or a
  correction that sends a verified claim back to submitted): notify queues the message to the
  worker's phone.
"""

from django.dispatch import Signal

memberships_changed = Signal()
workers_changed = Signal()
import_committed = Signal()
worker_merged = Signal()
employers_registered = Signal()
selfpay_opened = Signal()
selfpay_paid = Signal()
claim_status_changed = Signal()
