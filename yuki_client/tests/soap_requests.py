"""Hand-written SOAP requests, for checking what the sandbox refuses (the client never sends these)."""

import httpx2

NS = "http://www.theyukicompany.com/"


def post(url: str, operation: str, inner_xml: str, action: str | None = None) -> httpx2.Response:
    envelope = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
        f'<soap:Body><{operation} xmlns="{NS}">{inner_xml}</{operation}></soap:Body></soap:Envelope>'
    )
    headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{action or NS + operation}"'}
    return httpx2.post(url, content=envelope.encode(), headers=headers, timeout=5)
