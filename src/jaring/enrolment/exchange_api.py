from ninja import Router

router = Router(tags=["bpjs-exchange"])
