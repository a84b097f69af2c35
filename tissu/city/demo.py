from tissu.city.models import CitySettings, ComplianceStatus


def seed(ctx) -> None:
    CitySettings.objects.update_or_create(
        pk=1,
        defaults={
            "name": "Bellerive-sur-Orge",
            "insee_codes": "91999",
            "siret": "21910999800001",
            "primary_colour": "#1d4f91",
            "primary_text_colour": "#ffffff",
            "office_name": "Service vie associative",
            "office_address": "Maison des associations\n12 rue des Tisserands\n91999 Bellerive-sur-Orge",
            "office_email": "vie.associative@bellerive.example",
            "office_phone": "01 23 45 67 89",
            "office_hours": "Du lundi au vendredi, 9 h – 12 h 30 et 14 h – 17 h 30",
            "legal_notice": (
                "Ce site est édité par la ville de Bellerive-sur-Orge (ville fictive de démonstration).\n\n"
                "**Directeur de la publication** : le maire.\n\n**Hébergement** : serveurs de la ville."
            ),
            "accessibility_status": ComplianceStatus.PARTIAL,
            "accessibility_contact": "Écrivez à vie.associative@bellerive.example ou appelez le 01 23 45 67 89.",
        },
    )
