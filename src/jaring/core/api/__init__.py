"""What every area's API shares, below the areas: the strict input base, the error shape and its
handler. The areas' routers import these; only `jaring.api.routes` imports the areas' routers."""
