"""What lives in a site or subscription: subdomains, site aliases, FTP users, protected
directories."""
