from ninja import NinjaAPI

api = NinjaAPI(title="Jaring API", version="1")
