// Shows the failure message after a wrong token (the server redirects to ?failed=1).
if (new URLSearchParams(location.search).has('failed')) document.getElementById('failed').hidden = false;
