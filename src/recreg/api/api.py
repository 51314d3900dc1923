from ninja import NinjaAPI

api = NinjaAPI(title="Recommendations Register API", version="1", urls_namespace="api")
