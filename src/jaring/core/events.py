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
"""

from django.dispatch import Signal

memberships_changed = Signal()
workers_changed = Signal()
import_committed = Signal()
