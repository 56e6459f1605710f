"""The WeChat official account channel (interfaces.md: ``GET/POST /wechat``)."""
