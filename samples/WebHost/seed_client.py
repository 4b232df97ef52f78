# The seed's Python client (EEMT "Python Client Example"), unchanged but for the authorization header the admin-only
# endpoint needs. Usage: python3 seed_client.py http://127.0.0.1:5000 <admin token>
import sys

import requests


def cleanup_old_jobs(base_url="http://localhost:5000", dry_run=True):
    """Trigger job cleanup via API"""
    response = requests.post(
        f"{base_url}/api/cleanup",
        json={
            "dry_run": dry_run,
            "success_retention_hours": 168,  # 7 days
            "failed_retention_hours": 12  # 12 hours
        },
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    if response.status_code == 200:
        result = response.json()
        print(f"Cleanup {'preview' if dry_run else 'completed'}:")
        print(f" Successful jobs cleaned: {result['cleaned_jobs']['successful']}")
        print(f" Failed jobs cleaned: {result['cleaned_jobs']['failed']}")
        print(f" Space freed: {result['space_freed']['human_readable']}")
    else:
        print(f"Cleanup failed: {response.text}")


BASE_URL = sys.argv[1] if len(sys.argv) > 1 else "http://localhost:5000"
TOKEN = sys.argv[2] if len(sys.argv) > 2 else ""

# Preview cleanup
cleanup_old_jobs(BASE_URL, dry_run=True)
# Execute cleanup
cleanup_old_jobs(BASE_URL, dry_run=False)
