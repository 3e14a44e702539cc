"""Who may see and change what. Least privilege:
- an inductee sees and edits only their own records;
- a manager sees and signs off only the records of inductees in their team;
- an admin manages accounts and sees no one's induction records."""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from . import accounts
from .db import get_db


def role_required(*roles: str):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


def can_view_induction(inductee_id: int) -> bool:
    if current_user.is_inductee:
        return current_user.id == inductee_id
    if current_user.is_manager:
        return accounts.manages(get_db(), current_user.id, inductee_id)
    return False


def can_manage_induction(inductee_id: int) -> bool:
    return current_user.is_manager and accounts.manages(get_db(), current_user.id, inductee_id)


def inductee_or_404(inductee_id: int) -> dict:
    """The inductee's account, if the current user may see their induction; 404 otherwise
    (a 404 does not reveal whether someone else's record exists)."""
    user = accounts.get_user(get_db(), inductee_id)
    if user is None or user["role"] != "inductee" or not can_view_induction(inductee_id):
        abort(404)
    return user
