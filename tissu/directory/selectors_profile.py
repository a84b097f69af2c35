"""Reads for an association's public profile (a constant number of queries, whatever the association)."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from tissu.directory import permissions, profile_sections, selectors, selectors_claims
from tissu.directory.models import RNA_FIELDS, Association, Theme
from tissu.directory.search_selectors import office_address

# Internal bookkeeping of the import: not shown in the provenance table.
PROVENANCE_HIDDEN = {"rna_updated_at"}
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def web_address(url: str) -> str:
    """The register holds addresses such as "www.example.fr": make them links."""
    url = (url or "").strip()
    if url and not url.lower().startswith(("http://", "https://")):
        return f"http://{url}"
    return url


def association_themes(association: Association) -> list[dict]:
    """The association's themes (national nomenclature), each with its family, labelled (one query)."""
    codes = [code for code in (association.theme_1, association.theme_2) if code and code != "000000"]
    wanted = set(codes) | {code for code in (association.family_1, association.family_2) if code}
    rows = {
        code: (label, family)
        for code, label, family in Theme.objects.filter(code__in=wanted).values_list("code", "label", "family_code")
    }
    themes = []
    for code in codes:
        label, family = rows.get(code, (code, ""))
        family_label = rows[family][0] if family and family != code and family in rows else ""
        themes.append({"code": code, "label": label, "family_label": family_label})
    return themes


def association_jsonld(association: Association, *, request) -> dict:
    """schema.org Organization: what a search engine or a partner site may read about the association."""
    url = request.build_absolute_uri(reverse("directory:association-detail", args=[association.slug]))
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "@id": url,
        "name": association.name,
        "url": url,
    }
    if association.short_name and association.short_name != association.name:
        data["alternateName"] = association.short_name
    if association.object:
        data["description"] = association.object
    same_as = [web_address(association.website)] if association.website else []
    same_as += [link for link in association.social_links or [] if isinstance(link, str)]
    if same_as:
        data["sameAs"] = same_as
    if association.public_email:
        data["email"] = association.public_email
    if association.public_phone:
        data["telephone"] = association.public_phone
    street = office_address(association).split(", ")[0] if association.office_street_name else ""
    address = {
        "@type": "PostalAddress",
        "streetAddress": street,
        "postalCode": association.office_postcode,
        "addressLocality": association.office_city,
        "addressCountry": "FR",
    }
    data["address"] = {key: value for key, value in address.items() if value}
    if association.latitude is not None and association.longitude is not None:
        data["location"] = {
            "@type": "Place",
            "geo": {
                "@type": "GeoCoordinates",
                "latitude": float(association.latitude),
                "longitude": float(association.longitude),
            },
        }
    if association.creation_date:
        data["foundingDate"] = association.creation_date.isoformat()
    if association.dissolution_date:
        data["dissolutionDate"] = association.dissolution_date.isoformat()
    identifiers = []
    if association.rna_id:
        identifiers.append({"@type": "PropertyValue", "propertyID": "RNA", "value": association.rna_id})
    if association.siret:
        identifiers.append({"@type": "PropertyValue", "propertyID": "SIRET", "value": association.siret})
    if identifiers:
        data["identifier"] = identifiers
    if association.logo:
        data["logo"] = request.build_absolute_uri(association.logo.url)
    if association.is_employer and association.employee_fte is not None:
        data["numberOfEmployees"] = {"@type": "QuantitativeValue", "value": float(association.employee_fte)}
    if association.federation:
        data["memberOf"] = {"@type": "Organization", "name": association.federation}
    if association.languages:
        data["knowsLanguage"] = [part.strip() for part in association.languages.split(",") if part.strip()]
    return data


def jsonld_script(data: dict) -> SafeString:
    """<script type="application/ld+json">, escaped like json_script (no </script> can break out)."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308 - escaped above


def association_profile(*, association: Association, user, request) -> dict:
    """Everything the profile page shows to this visitor."""
    authenticated = user.is_authenticated
    member = permissions.is_member(user, association) if authenticated else False
    office = authenticated and user.is_associations_office
    can_see_private = office or member
    context = {
        "association": association,
        "is_member": member,
        "themes": association_themes(association),
        "audiences": list(association.audiences.order_by("name")),
        "address_line": office_address(association),
        "website_url": web_address(association.website),
        "social_links": [link for link in association.social_links or [] if isinstance(link, str)],
        "jsonld": jsonld_script(association_jsonld(association, request=request)),
        "can_see_private": can_see_private,
        "can_manage": authenticated and permissions.can_edit(user, association),
        "can_claim": authenticated and not member,
        "is_office": office,
        "sections": profile_sections.sections_for(association, user),
    }
    if can_see_private:
        context["officers"] = list(selectors.association_memberships(association))
        context["has_management_address"] = any(
            getattr(association, name)
            for name in ("mgmt_declarant", "mgmt_complement_id", "mgmt_complement_geo", "mgmt_street", "mgmt_city")
        )
    if office:
        names = [name for name in RNA_FIELDS if name not in PROVENANCE_HIDDEN]
        context["provenance"] = selectors_claims.provenance_rows(association, names)
    return context
